using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshStack.Config;

/// <summary>
/// Reads one config object field by field, recording every problem with its key path. A field the binder
/// never asks for is unknown: <see cref="RejectUnknown"/> reports it with the nearest known name, so a new
/// config key needs no separate schema, only a read in the binder.
/// Absent fields fall back to the same path in <c>defaults</c> (the declared default of the top-level key).
/// </summary>
public sealed class ConfigObject
{
    private readonly JsonObject _value;
    private readonly JsonObject? _defaults;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly ConfigProblems _problems;
    private readonly bool _isRoot;

    internal ConfigObject(string path, JsonObject value, JsonObject? defaults, ConfigProblems problems, bool isRoot = false)
    {
        Path = path;
        _value = value;
        _defaults = defaults;
        _problems = problems;
        _isRoot = isRoot;
    }

    public string Path { get; }
    public ConfigProblems Problems => _problems;

    /// <summary>The fields the user wrote, in order: for maps whose keys are data (namespaces, claim names).</summary>
    public IReadOnlyList<string> Fields => _value.Select(p => p.Key).ToList();

    public string PathOf(string field) => _isRoot ? Path + field : $"{Path}.{field}";

    public void Problem(string field, string message) => _problems.Add(PathOf(field), message);

    /// <summary>True when the user wrote the field (defaults do not count).</summary>
    public bool Has(string field)
    {
        _known.Add(field);
        return _value.ContainsKey(field);
    }

    private JsonNode? Raw(string field)
    {
        _known.Add(field);
        if (!_value.TryGetPropertyValue(field, out var v)) return _defaults?[field];
        // an empty or null value is a mistake more often than a wish for the default: say so instead of using it
        if (v is null) Problem(field, "is empty (null); give a value, or remove the key to use the default");
        return v;
    }

    public string? OptionalString(string field, Regex? pattern = null, string? patternText = null)
    {
        var node = Raw(field);
        if (node is null) return null;
        var s = AsString(node, field);
        if (s is null) return null;
        if (s.Contains('\uE000')) { Problem(field, "contains the reserved character U+E000"); return null; }
        if (pattern is not null && !pattern.IsMatch(s))
        {
            Problem(field, $"\"{Excerpt.Of(s)}\" must match {patternText ?? pattern.ToString()}");
            return null;
        }
        return s;
    }

    public string RequiredString(string field, string what, Regex? pattern = null, string? patternText = null)
    {
        if (Raw(field) is null)
        {
            if (!_value.ContainsKey(field)) Problem(field, $"required: {what}");
            return "";
        }
        return OptionalString(field, pattern, patternText) ?? "";
    }

    private string? AsString(JsonNode node, string field)
    {
        if (node is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.String: return v.GetValue<string>();
                case JsonValueKind.True or JsonValueKind.False: return v.ToJsonString();
                case JsonValueKind.Number when long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l): return l.ToString(CultureInfo.InvariantCulture);
                case JsonValueKind.Number:
                    Problem(field, $"{v.ToJsonString()} is a number; quote it so it stays a string (e.g. \"{v.ToJsonString()}\")");
                    return null;
            }
        }
        Problem(field, $"must be a string, not {Describe(node)}");
        return null;
    }

    public T Enum<T>(string field, T fallback) where T : struct, Enum
    {
        var node = Raw(field);
        if (node is null) return fallback;
        var s = AsString(node, field);
        if (s is null) return fallback;
        foreach (var value in System.Enum.GetValues<T>())
            if (string.Equals(Spelling(value), s, StringComparison.Ordinal)) return value;
        var names = System.Enum.GetValues<T>().Select(Spelling).ToList();
        var near = NearestName.For(s, names);
        Problem(field, $"\"{s}\" is not one of {string.Join(", ", names)}{(near is null ? "" : $" (did you mean \"{near}\"?)")}");
        return fallback;
    }

    /// <summary>Config spelling of an enum member: lower-case, words joined by '-'.</summary>
    public static string Spelling<T>(T value) where T : struct, Enum =>
        Regex.Replace(value.ToString(), "(?<=[a-z0-9])([A-Z])", "-$1").ToLowerInvariant();

    public int Int(string field, int fallback, int min, int max)
    {
        var node = Raw(field);
        if (node is null) return fallback;
        long? n = node is JsonValue v ? v.GetValueKind() switch
        {
            JsonValueKind.Number when long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
            JsonValueKind.String when long.TryParse(v.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
            _ => null,
        } : null;
        if (n is null) { Problem(field, $"must be a whole number, not {Describe(node)}"); return fallback; }
        if (n < min || n > max) { Problem(field, $"{n} must be between {min} and {max}"); return fallback; }
        return (int)n;
    }

    public double Number(string field, double fallback, double min, double max)
    {
        var node = Raw(field);
        if (node is null) return fallback;
        double? n = node is JsonValue v ? v.GetValueKind() switch
        {
            JsonValueKind.Number => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
            JsonValueKind.String when double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => p,
            _ => null,
        } : null;
        if (n is null || double.IsNaN(n.Value) || double.IsInfinity(n.Value)) { Problem(field, $"must be a number, not {Describe(node)}"); return fallback; }
        if (n < min || n > max) { Problem(field, $"{n.Value.ToString(CultureInfo.InvariantCulture)} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}"); return fallback; }
        return n.Value;
    }

    public bool Bool(string field, bool fallback)
    {
        var node = Raw(field);
        if (node is null) return fallback;
        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.True) return true;
            if (v.GetValueKind() == JsonValueKind.False) return false;
            if (v.GetValueKind() == JsonValueKind.String && bool.TryParse(v.GetValue<string>(), out var b)) return b;
        }
        Problem(field, $"must be true or false, not {Describe(node)}");
        return fallback;
    }

    /// <summary>A nested object; absent means "all defaults". Always returns a reader so binding code stays linear.</summary>
    public ConfigObject Object(string field)
    {
        var node = Raw(field);
        var defaults = _defaults?[field] as JsonObject;
        var obj = Structured(node, field) switch
        {
            JsonObject o => o,
            null => [],
            var other => Mismatch(field, "an object", other),
        };
        return new ConfigObject(PathOf(field), obj, defaults, _problems);
    }

    public IReadOnlyList<ConfigObject> List(string field, int maxItems = InputLimits.Items)
    {
        var node = Raw(field);
        var list = Structured(node, field) switch
        {
            JsonArray a => a,
            null => [],
            var other => MismatchList(field, other),
        };
        if (list.Count > maxItems)
        {
            Problem(field, $"has {list.Count} items; at most {maxItems} are allowed (limit)");
            return [];
        }
        var items = new List<ConfigObject>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = $"{PathOf(field)}[{i}]";
            if (list[i] is JsonObject o) items.Add(new ConfigObject(itemPath, o, null, _problems));
            else _problems.Add(itemPath, $"must be an object, not {Describe(list[i])}");
        }
        return items;
    }

    public IReadOnlyList<string> StringList(string field)
    {
        var node = Structured(Raw(field), field);
        if (node is null) return [];
        if (node is not JsonArray a) { Mismatch(field, "a list of strings", node); return []; }
        if (a.Count > InputLimits.Items) { Problem(field, $"has {a.Count} items; at most {InputLimits.Items} are allowed (limit)"); return []; }
        var result = new List<string>(a.Count);
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String) result.Add(v.GetValue<string>());
            else _problems.Add($"{PathOf(field)}[{i}]", $"must be a string, not {Describe(a[i])}");
        }
        return result;
    }

    /// <summary>A map of names to objects (e.g. per-namespace overrides): each value is read by <paramref name="read"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, ConfigObject>> Map(string field)
    {
        var node = Structured(Raw(field), field);
        if (node is null) return [];
        if (node is not JsonObject o) { Mismatch(field, "an object", node); return []; }
        if (o.Count > InputLimits.Items) { Problem(field, $"has {o.Count} entries; at most {InputLimits.Items} are allowed (limit)"); return []; }
        var defaults = _defaults?[field] as JsonObject;
        var result = new List<KeyValuePair<string, ConfigObject>>();
        var holder = new ConfigObject(PathOf(field), o, defaults, _problems);
        foreach (var (k, _) in o) result.Add(new(k, holder.Object(k)));
        return result;
    }

    /// <summary>Stack config from the engine arrives as JSON text inside a string: read it as what it encodes.</summary>
    private JsonNode? Structured(JsonNode? node, string field)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var text = v.GetValue<string>().Trim();
            if (text.StartsWith('{') || text.StartsWith('['))
            {
                try { return StrictJson.Parse(text); }
                catch (JsonException e) { Problem(field, $"is not valid JSON: {e.Message}"); return null; }
            }
        }
        return node;
    }

    private JsonArray MismatchList(string field, JsonNode? actual)
    {
        Problem(field, $"must be a list, not {Describe(actual)}");
        return [];
    }

    private JsonObject Mismatch(string field, string expected, JsonNode? actual)
    {
        Problem(field, $"must be {expected}, not {Describe(actual)}");
        return [];
    }

    /// <summary>Reports every field the binder did not read, with the nearest known name.</summary>
    public void RejectUnknown()
    {
        foreach (var (key, _) in _value)
        {
            if (_known.Contains(key)) continue;
            var near = NearestName.For(key, _known);
            var suggestion = near is not null ? $"did you mean {PathOf(near)}?"
                : _known.Count == 0 ? "this object takes no keys; remove it"
                : $"known keys: {string.Join(", ", _known.Order(StringComparer.Ordinal))}";
            _problems.Add(PathOf(key), $"unknown key; {suggestion}");
        }
    }

    internal static string Describe(JsonNode? node) => node switch
    {
        null => "nothing",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"\"{Excerpt.Of(v.GetValue<string>())}\"",
            _ => Excerpt.Of(v.ToJsonString()),
        },
        _ => node.ToJsonString(),
    };
}
