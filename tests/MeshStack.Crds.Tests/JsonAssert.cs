using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshStack.Crds.Tests;

/// <summary>Semantic JSON equality: object key order is ignored, numbers compare by value (100.0 equals 100).</summary>
public static class JsonAssert
{
    public static void Equivalent(JsonNode? expected, JsonNode? actual)
    {
        var difference = FirstDifference(expected, actual, "$");
        Assert.True(difference is null, $"{difference}\nexpected: {expected?.ToJsonString()}\nactual:   {actual?.ToJsonString()}");
    }

    /// <summary>The path and description of the first difference, or null when the two are equivalent.</summary>
    public static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected, actual)
        {
            case (null, null):
                return null;
            case (JsonObject e, JsonObject a):
                foreach (var (key, value) in e)
                {
                    if (!a.ContainsKey(key))
                    {
                        return $"{path}.{key}: missing";
                    }
                    if (FirstDifference(value, a[key], $"{path}.{key}") is { } inner)
                    {
                        return inner;
                    }
                }
                var extra = a.Select(p => p.Key).FirstOrDefault(k => !e.ContainsKey(k));
                return extra is null ? null : $"{path}.{extra}: unexpected";
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count)
                {
                    return $"{path}: {e.Count} items expected, {a.Count} found";
                }
                for (var i = 0; i < e.Count; i++)
                {
                    if (FirstDifference(e[i], a[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }
                return null;
            case (JsonValue e, JsonValue a):
                return ValuesEqual(e, a) ? null : $"{path}: {e.ToJsonString()} expected, {a.ToJsonString()} found";
            default:
                return $"{path}: {expected?.ToJsonString() ?? "null"} expected, {actual?.ToJsonString() ?? "null"} found";
        }
    }

    private static bool ValuesEqual(JsonValue expected, JsonValue actual)
    {
        var (e, a) = (expected.GetValueKind(), actual.GetValueKind());
        if (e != a)
        {
            return false;
        }
        return e switch
        {
            JsonValueKind.Number => decimal.Parse(expected.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
                == decimal.Parse(actual.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
            JsonValueKind.String => expected.GetValue<string>() == actual.GetValue<string>(),
            // true, false and null are their kind.
            _ => true,
        };
    }
}
