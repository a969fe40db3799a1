using System.Text.Json.Nodes;

namespace MeshStack.Analysis.Rules.Reachability;

/// <summary>A Service whose selector matches no rendered pod template has no endpoints: every call to it fails.</summary>
public sealed class ServiceSelectsNoPods : AnalysisRule
{
    /// <summary>
    /// A Service left without local pods on purpose, because its clients are sent elsewhere: Istio merges the endpoints
    /// of the same Service across the mesh's clusters; Linkerd routes it by an HTTPRoute to other backends (mirrors).
    /// </summary>
    private static bool ServedElsewhere(RenderModel model, Security.Policy.RenderedObject s)
    {
        if (model.Mesh == Config.MeshKind.Istio)
            return model.Clusters.Any(c => c != s.Cluster && model.OfKind("", "Service", c).Any(o => o.Name == s.Name && o.Namespace == s.Namespace
                && model.PodsSelectedBy(c, s.Namespace, o.Spec?["selector"] as JsonObject).Any()));
        return model.OfKind("gateway.networking.k8s.io", "HTTPRoute", s.Cluster)
            .Where(r => Json.Objects(r.Spec?["parentRefs"]).Any(p => Json.Str(p["kind"]) == "Service" && Json.Str(p["name"]) == s.Name))
            .SelectMany(r => Json.Objects(r.Spec?["rules"])).SelectMany(r => Json.Objects(r["backendRefs"]))
            .Any(b => Json.Str(b["name"]) != s.Name);
    }

    public override string Id => "MS101";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a Service's selector matches no pod template in its namespace";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var s in model.OfKind("", "Service"))
        {
            if (s.Spec?["selector"] is not JsonObject { Count: > 0 } selector || model.IsChartNamespace(s.Cluster, s.Namespace)) continue;
            if (model.PodsSelectedBy(s.Cluster, s.Namespace, selector).Any() || ServedElsewhere(model, s)) continue;
            if (!model.ChartWorkloads.Any(c => c.Cluster == s.Cluster && c.Namespace == s.Namespace && LabelSelector.Matches(selector, c.Labels)))
                yield return At(s, $"selector {selector.ToJsonString()} matches no pod template in {s.Namespace}: the Service has no endpoints",
                    "make the selector match the workload's pod labels (app, version)");
        }
    }
}
