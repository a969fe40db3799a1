using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshStack.Config;

/// <summary>
/// Stack config as it arrives, before binding: this project's keys (prefix removed) to raw values.
/// Secret keys keep only their presence: their values are dropped on load so they cannot leak into the program.
/// </summary>
public sealed class RawConfig
{
    public RawConfig(JsonObject values, IReadOnlySet<string> presentSecrets, IReadOnlyList<ConfigProblem> loadProblems)
    {
        Values = values;
        PresentSecrets = presentSecrets;
        LoadProblems = loadProblems;
    }

    public JsonObject Values { get; }
    public IReadOnlySet<string> PresentSecrets { get; }
    public IReadOnlyList<ConfigProblem> LoadProblems { get; }

    public static RawConfig Empty { get; } = new([], new HashSet<string>(), []);

    /// <summary>
    /// <c>PULUMI_CONFIG</c>: a JSON object of string to string, keys <c>project:key</c>, structured values
    /// JSON-encoded inside the string, secrets already decrypted.
    /// </summary>
    public static RawConfig FromEngineJson(string json)
    {
        var problems = new List<ConfigProblem>();
        JsonObject map;
        try
        {
            map = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            return new RawConfig([], new HashSet<string>(), [new ConfigProblem("PULUMI_CONFIG", $"is not a JSON object of strings: {e.Message}")]);
        }
        var pairs = map.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : p.Value?.DeepClone()));
        return FromPairs(pairs, _ => false, problems);
    }

    /// <summary>Builds from fully qualified keys; <paramref name="isEncrypted"/> tells which values the stack file encrypted.</summary>
    internal static RawConfig FromPairs(IEnumerable<KeyValuePair<string, JsonNode?>> pairs, Func<JsonNode?, bool> isEncrypted, List<ConfigProblem> problems)
    {
        var values = new JsonObject();
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        var secretKeys = ConfigKeys.All.Where(k => k.Secret).Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (fullKey, value) in pairs)
        {
            var colon = fullKey.IndexOf(':');
            if (colon < 0)
            {
                problems.Add(new ConfigProblem(fullKey, $"config keys are namespaced; write {ConfigKeys.Project}:{fullKey}"));
                continue;
            }
            if (fullKey[..colon] != ConfigKeys.Project) continue; // pulumi:, kubernetes: and other packages' keys are not ours
            var key = fullKey[(colon + 1)..];
            if (secretKeys.Contains(key))
            {
                secrets.Add(key);
                values[key] = true; // presence only
                continue;
            }
            if (isEncrypted(value))
            {
                problems.Add(new ConfigProblem(fullKey, "is encrypted, but it is not a secret key of this project; set it in plain text"));
                continue;
            }
            values[key] = value;
        }
        return new RawConfig(values, secrets, problems);
    }
}
