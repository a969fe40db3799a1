using System.Collections.Concurrent;
using System.Text.Json.Nodes;
#if !NO_CEL
using global::Cel;
#endif

namespace MeshStack.Analysis.Cel;

/// <summary>One rule's outcome on one node of an object: passed, failed (the API server would reject it), or not evaluated here.</summary>
public sealed record CelOutcome(string Path, string Rule, string Message, bool Evaluated, bool Failed);

/// <summary>
/// Evaluates a CRD's x-kubernetes-validations on an object as the API server does: schema defaults applied first, each
/// rule with <c>self</c> bound to its node, only where the node is present. Core CEL comes from the Cel package; rules
/// that need Kubernetes' extension libraries (split, url, quantity, ...) or that the package cannot evaluate are reported
/// as not evaluated rather than passed or failed.
/// </summary>
public sealed class CelValidator
{
#if !NO_CEL
    private static readonly CelEnvironment Environment = new([], "");
#endif
    private static readonly ConcurrentDictionary<string, Func<Dictionary<string, object?>, object?>?> Compiled = new(StringComparer.Ordinal);

    public IEnumerable<CelOutcome> Validate(CrdSchema crd, JsonObject obj)
    {
        var outcomes = new List<CelOutcome>();
        Walk(crd.Schema, obj, "", outcomes);
        return outcomes;
    }

    private static void Walk(JsonObject schema, JsonNode? node, string path, List<CelOutcome> outcomes)
    {
        if (node is null) return;
        var self = Convert(schema, node);
        foreach (var v in Json.Objects(schema["x-kubernetes-validations"]))
        {
            var rule = Json.Str(v["rule"]) ?? "";
            if (rule.Contains("oldSelf", StringComparison.Ordinal)) continue;
            var message = Json.Str(v["message"]) ?? $"failed rule: {rule}";
            var program = Compiled.GetOrAdd(rule, Compile);
            object? result;
            try
            {
                result = program?.Invoke(new Dictionary<string, object?> { ["self"] = self });
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                result = null;
            }
            outcomes.Add(result is bool b
                ? new CelOutcome(path, rule, message, Evaluated: true, Failed: !b)
                : new CelOutcome(path, rule, message, Evaluated: false, Failed: false));
        }
        if (schema["properties"] is JsonObject props && node is JsonObject o)
            foreach (var (name, sub) in props)
                if (sub is JsonObject s && o[name] is { } child) Walk(s, child, $"{path}.{name}", outcomes);
        if (schema["items"] is JsonObject items && node is JsonArray a)
            for (var i = 0; i < a.Count; i++) Walk(items, a[i], $"{path}[{i}]", outcomes);
        if (schema["additionalProperties"] is JsonObject extra && node is JsonObject map)
            foreach (var (k, child) in map) Walk(extra, child, $"{path}.{k}", outcomes);
    }

    private static Func<Dictionary<string, object?>, object?>? Compile(string rule)
    {
#if NO_CEL
        // the native compiler carries no CEL evaluator (see MeshStack.Infra.csproj): every rule is "not evaluated"
        _ = rule;
        return null;
#else
        try
        {
            var program = Environment.Compile(rule);
            return vars => program(vars);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
#endif
    }

    /// <summary>The node as CEL values (maps, lists, int, double, string, bool), with the schema's defaults filled in.</summary>
    private static object? Convert(JsonObject? schema, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
            {
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                var props = schema?["properties"] as JsonObject;
                foreach (var (k, v) in o) map[k] = Convert(props?[k] as JsonObject ?? schema?["additionalProperties"] as JsonObject, v);
                foreach (var (k, sub) in props ?? [])
                    if (!map.ContainsKey(k) && sub?["default"] is { } def) map[k] = Convert(sub as JsonObject, def.DeepClone());
                return map;
            }
            case JsonArray a:
                return a.Select(x => Convert(schema?["items"] as JsonObject, x)).ToList();
            case JsonValue v:
                if (v.TryGetValue<bool>(out var b)) return b;
                if (v.TryGetValue<long>(out var l)) return Json.Str(schema?["type"]) == "number" ? (double)l : l;
                if (v.TryGetValue<int>(out var i)) return (long)i;
                if (v.TryGetValue<double>(out var d)) return d % 1 == 0 && Json.Str(schema?["type"]) == "integer" ? (long)d : d;
                return v.ToString();
            default:
                return null;
        }
    }
}
