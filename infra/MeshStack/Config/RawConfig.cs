using System.Text.Json;
using System.Text.Json.Nodes;
using MeshStack.Config.Yaml;

namespace MeshStack.Config;

/// <summary>
/// Stack config as it arrives, before binding: this project's keys (prefix removed) to raw values.
/// Secret keys keep only their presence: their values are dropped on load so they cannot leak into the program.
/// </summary>
public sealed class RawConfig
{
    public RawConfig(JsonObject values, IReadOnlySet<string> presentSecrets, IReadOnlyList<ConfigProblem> loadProblems, bool isUnreadable = false)
    {
        Values = values;
        PresentSecrets = presentSecrets;
        LoadProblems = loadProblems;
        IsUnreadable = isUnreadable;
    }

    public JsonObject Values { get; }
    public IReadOnlySet<string> PresentSecrets { get; }
    public IReadOnlyList<ConfigProblem> LoadProblems { get; }

    /// <summary>The input could not be read as stack config at all: only its load problems are reported, nothing is bound.</summary>
    public bool IsUnreadable { get; }

    public static RawConfig Empty { get; } = new([], new HashSet<string>(), []);

    public static RawConfig Unreadable(ConfigProblem problem) => new([], new HashSet<string>(), [problem], isUnreadable: true);

    private static readonly JsonDocumentOptions EngineJson = new() { MaxDepth = InputLimits.Depth };

    /// <summary>
    /// <c>PULUMI_CONFIG</c>: a JSON object of string to string, keys <c>project:key</c>, structured values
    /// JSON-encoded inside the string, secrets already decrypted. A key given twice is refused (the runtime would keep one).
    /// </summary>
    public static RawConfig FromEngineJson(string json)
    {
        const string source = "PULUMI_CONFIG";
        var pairs = new List<KeyValuePair<string, JsonNode?>>();
        var problems = new List<ConfigProblem>();
        try
        {
            using var doc = JsonDocument.Parse(json, EngineJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return Unreadable(new ConfigProblem(source, $"is a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object of \"project:key\": \"value\" pairs"));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(p.Name))
                {
                    problems.Add(new ConfigProblem($"{source}: {Excerpt.Of(p.Name)}", "is given twice; give each key once"));
                    continue;
                }
                pairs.Add(new(p.Name, p.Value.ValueKind == JsonValueKind.String ? JsonValue.Create(p.Value.GetString()) : StrictJson.ToNode(p.Value)));
            }
        }
        catch (JsonException e)
        {
            return Unreadable(new ConfigProblem(source, $"is not a JSON object of strings: {e.Message}"));
        }
        return FromPairs(pairs, null, problems);
    }

    /// <summary>
    /// Builds from fully qualified keys; <paramref name="isEncrypted"/> tells which values the stack file encrypted
    /// (null for the engine, which passes secrets already decrypted).
    /// </summary>
    internal static RawConfig FromPairs(IEnumerable<KeyValuePair<string, JsonNode?>> pairs, Func<JsonNode?, bool>? isEncrypted, List<ConfigProblem> problems)
    {
        var values = new JsonObject();
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        var secretKeys = ConfigKeys.All.Where(k => k.Secret).Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (fullKey, value) in pairs)
        {
            if (fullKey.Length > InputLimits.KeyLength)
            {
                problems.Add(new ConfigProblem(Excerpt.Of(fullKey), $"a key of {fullKey.Length} characters; the limit is {InputLimits.KeyLength}"));
                continue;
            }
            var colon = fullKey.IndexOf(':');
            if (colon < 0)
            {
                problems.Add(new ConfigProblem(fullKey, $"config keys are namespaced; write {ConfigKeys.Project}:{fullKey}"));
                continue;
            }
            var key = fullKey[(colon + 1)..];
            if (fullKey[..colon] != ConfigKeys.Project)
            {
                // pulumi:, kubernetes: and other packages' keys are not ours; a near miss of our namespace is a typo
                if (NearestName.Distance(fullKey[..colon].ToLowerInvariant(), ConfigKeys.Project) <= 2)
                    problems.Add(new ConfigProblem(fullKey, $"unknown namespace '{fullKey[..colon]}'; did you mean {ConfigKeys.Project}:{key}?"));
                continue;
            }
            if (secretKeys.Contains(key))
            {
                if (value is null) problems.Add(new ConfigProblem(fullKey, "is null; give the secret value, or remove the key"));
                // the engine passes secrets decrypted; in a stack file a secret must be encrypted, or it sits there in plain text
                else if (isEncrypted is not null && !isEncrypted(value))
                    problems.Add(new ConfigProblem(fullKey, $"is a secret but is written in plain text in the stack file; remove it and run `pulumi config set --secret {key} <value>` (stored as secure: ...)"));
                secrets.Add(key);
                values[key] = true; // presence only
                continue;
            }
            if (isEncrypted?.Invoke(value) == true)
            {
                problems.Add(new ConfigProblem(fullKey, "is encrypted, but it is not a secret key of this project; set it in plain text"));
                continue;
            }
            if (value is null)
            {
                problems.Add(new ConfigProblem(fullKey, "is null; give a value, or remove the key to use the default"));
                continue;
            }
            if (value is JsonValue text && text.GetValueKind() == JsonValueKind.String && text.GetValue<string>().Length > InputLimits.ValueLength)
            {
                problems.Add(new ConfigProblem(fullKey, $"a value of {text.GetValue<string>().Length} characters; the limit is {InputLimits.ValueLength}"));
                continue;
            }
            values[key] = value;
        }
        return new RawConfig(values, secrets, problems);
    }
}
