using System.Globalization;
using System.Text.Json.Nodes;
using MeshStack.Output;

namespace MeshStack.Tests.Support;

/// <summary>
/// A Helm release as the chart sees it: the chart's own defaults (the upstream values.yaml under ../shared, read at
/// run time) with the release's values from the rendered program merged over them, as Helm merges them.
/// </summary>
public static class ChartValues
{
    /// <summary>A release of the program: its resource name, chart and the values it passes.</summary>
    public sealed record Release(string Resource, string Name, string Chart, JsonObject Values)
    {
        public override string ToString() => Resource;
    }

    public static IEnumerable<Release> Releases(EmittedStack stack) =>
        stack.Program["resources"]!.AsObject()
            .Where(r => r.Value!["type"]!.GetValue<string>() == "kubernetes:helm.sh/v3:Release")
            .Select(r =>
            {
                var p = r.Value!["properties"]!;
                return new Release(r.Key, p["name"]!.GetValue<string>(), p["chart"]!.GetValue<string>(),
                    (p["values"] as JsonObject ?? []).DeepClone().AsObject());
            });

    /// <summary>
    /// The chart's defaults merged with <paramref name="values"/>. Istio's charts keep their defaults under
    /// <c>_internal_defaults_do_not_set</c> and lift them to the top level (templates/zzz_profile.yaml of each chart).
    /// </summary>
    public static JsonObject Effective(string upstreamValuesPath, JsonObject values)
    {
        var defaults = Load(upstreamValuesPath);
        if (defaults["_internal_defaults_do_not_set"] is JsonObject inner) defaults = inner.DeepClone().AsObject();
        Merge(defaults, values);
        return defaults;
    }

    public static JsonObject Load(string path)
    {
        return MeshStack.Analysis.YamlDocuments.Load(path).FirstOrDefault() as JsonObject ?? [];
    }

    private static void Merge(JsonObject target, JsonObject overlay)
    {
        foreach (var (key, value) in overlay)
        {
            if (value is JsonObject o && target[key] is JsonObject t) Merge(t, o);
            else target[key] = value?.DeepClone();
        }
    }

    /// <summary>Helm's truthiness of a value (<c>if</c> in a template): null, false, 0 and "" are false.</summary>
    public static bool Truthy(JsonNode? node) => node switch
    {
        null => false,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l != 0,
        JsonValue v when v.TryGetValue<int>(out var i) => i != 0,
        JsonValue v when v.TryGetValue<double>(out var d) => d != 0,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0,
        JsonObject o => o.Count > 0,
        JsonArray a => a.Count > 0,
        _ => true,
    };

    /// <summary>Helm's <c>int</c>: a number as an integer, anything else 0.</summary>
    public static int Int(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => (int)l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<double>(out var d) => (int)d,
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, CultureInfo.InvariantCulture, out var p) => p,
        _ => 0,
    };
}
