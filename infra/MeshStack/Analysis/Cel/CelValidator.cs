using System.Collections.Concurrent;
using System.Text.Json.Nodes;
#if !NO_CEL
using global::Cel;
#endif

namespace MeshStack.Analysis.Cel;

/// <summary>What became of one rule on one node of an object.</summary>
public enum CelVerdict
{
    Passed,

    /// <summary>The API server rejects the object: the rule is false, or a library function fails on the value.</summary>
    Failed,

    /// <summary>A construct this evaluator does not run: neither passed nor failed.</summary>
    NotEvaluated,

    /// <summary>
    /// A transition rule (<c>oldSelf</c>): the API server evaluates it only when an update has an old value, and skips it
    /// on create (apiextensions-apiserver pkg/apiserver/schema/cel/validation.go 402-412, v0.35.0). A render is created.
    /// </summary>
    OnlyOnUpdate,
}

/// <summary>One rule's outcome on one node of an object.</summary>
public sealed record CelOutcome(string Path, string Rule, string Message, CelVerdict Verdict)
{
    public bool Evaluated => Verdict is CelVerdict.Passed or CelVerdict.Failed;
    public bool Failed => Verdict == CelVerdict.Failed;
}

/// <summary>
/// Evaluates a CRD's x-kubernetes-validations on an object as the API server does: schema defaults applied first, each
/// rule with <c>self</c> bound to its node, only where the node is present. Core CEL comes from the Cel package, the
/// Kubernetes library functions those CRDs use from <see cref="KubernetesCelLibrary"/>; a rule the package cannot
/// evaluate is reported as not evaluated rather than passed or failed, a transition rule as applying only on update.
/// </summary>
public sealed class CelValidator
{
#if !NO_CEL
    private static readonly CelEnvironment Environment = NewEnvironment();

    private static CelEnvironment NewEnvironment()
    {
        var environment = new CelEnvironment([], "");
        KubernetesCelLibrary.AddTo(environment);
        return environment;
    }
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
            var message = Json.Str(v["message"]) ?? $"failed rule: {rule}";
            if (rule.Contains("oldSelf", StringComparison.Ordinal))
            {
                // optionalOldSelf rules do run on create (with oldSelf absent), which this evaluator does not model
                var optional = v["optionalOldSelf"] is JsonValue flag && flag.TryGetValue<bool>(out var opt) && opt;
                outcomes.Add(new CelOutcome(path, rule, message, optional ? CelVerdict.NotEvaluated : CelVerdict.OnlyOnUpdate));
                continue;
            }
            var program = Compiled.GetOrAdd(rule, Compile);
            CelVerdict verdict;
            try
            {
                verdict = program?.Invoke(new Dictionary<string, object?> { ["self"] = self }) switch
                {
                    true => CelVerdict.Passed,
                    false => CelVerdict.Failed,
                    _ => CelVerdict.NotEvaluated,
                };
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var error = EvaluationError(e);
                verdict = error is null ? CelVerdict.NotEvaluated : CelVerdict.Failed;
                if (error is not null) message = $"{error.Message} evaluating rule";
            }
            outcomes.Add(new CelOutcome(path, rule, message, verdict));
        }
        if (schema["properties"] is JsonObject props && node is JsonObject o)
            foreach (var (name, sub) in props)
                if (sub is JsonObject s && o[name] is { } child) Walk(s, child, $"{path}.{name}", outcomes);
        if (schema["items"] is JsonObject items && node is JsonArray a)
            for (var i = 0; i < a.Count; i++) Walk(items, a[i], $"{path}[{i}]", outcomes);
        if (schema["additionalProperties"] is JsonObject extra && node is JsonObject map)
            foreach (var (k, child) in map) Walk(extra, child, $"{path}.{k}", outcomes);
    }

    /// <summary>The Kubernetes library error behind an exception (the package may wrap what a function throws), or null.</summary>
    private static CelEvaluationError? EvaluationError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is CelEvaluationError error) return error;
        return null;
    }

    private static Func<Dictionary<string, object?>, object?>? Compile(string rule)
    {
#if NO_CEL
        // the native compiler carries no CEL evaluator (see MeshStack.csproj): every rule is "not evaluated"
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
