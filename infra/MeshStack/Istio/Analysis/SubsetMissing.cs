using MeshStack.Analysis;
using MeshStack.Analysis.Rules.Traffic;
using System.Text.Json.Nodes;
using MeshStack.Security.Policy;

namespace MeshStack.Istio.Analysis;

/// <summary>
/// A VirtualService destination subset must be defined by a DestinationRule for that host (otherwise Envoy has no such
/// cluster: 503 NR), and the subset's labels must select pods of the host's Service (otherwise: no healthy upstream).
/// </summary>
public sealed class SubsetMissing : AnalysisRule
{
    public override string Id => "MS302";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a VirtualService subset is defined by no DestinationRule, or selects no pods of the Service";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        var rulesFor = DestinationRules.ByTarget(model, "default");
        foreach (var rule in IstioHttpRule.In(model))
        foreach (var d in rule.Routes.Select(r => r["destination"]).OfType<JsonObject>())
        {
            if (Json.Str(d["subset"]) is not { } subset) continue;
            var vs = rule.VirtualService;
            var host = Json.Str(d["host"]) ?? "";
            if (ServiceResolver.Parse(host, vs.Namespace ?? "default") is not { } target) continue;
            var definition = rulesFor[(vs.Cluster, target)].SelectMany(dr => Json.Objects(dr.Spec?["subsets"])).FirstOrDefault(s => Json.Str(s["name"]) == subset);
            if (definition is null)
            {
                yield return At(vs, $"rule {rule.Name}: subset '{subset}' of {host} is defined by no DestinationRule", "define the subset in the host's DestinationRule");
                continue;
            }
            if (ServiceResolver.Find(model, vs.Cluster, target.Name, target.Namespace) is null) continue;
            var labels = definition["labels"] as JsonObject;
            var selected = model.Clusters.Any(c => PodsOf(model, c, target).Any(p => LabelSelector.Matches(labels, p.Labels)));
            if (!selected)
                yield return At(vs, $"rule {rule.Name}: subset '{subset}' ({labels?.ToJsonString()}) selects no pod of Service {target.Name}: no healthy upstream",
                    "make the subset labels match the version label of a rendered workload");
        }
    }

    /// <summary>
    /// The pods behind the host's Service in <paramref name="cluster"/>. A subset selects among the endpoints of every
    /// cluster of the mesh, not only the VirtualService's own: istiod merges the endpoint shards of all clusters for a
    /// host that is not cluster-local, then keeps those whose labels hold the subset's (istio 1.31.0-rc.0
    /// pilot/pkg/xds/endpoints/endpoint_builder.go 674-699 snapshotShards, 461 the subset filter), so a service placed in
    /// another cluster is still a healthy upstream.
    /// </summary>
    private static IEnumerable<WorkloadPod> PodsOf(RenderModel model, string cluster, (string Name, string Namespace) target) =>
        ServiceResolver.Find(model, cluster, target.Name, target.Namespace) is { } service
            ? model.PodsSelectedBy(cluster, target.Namespace, service.Spec?["selector"] as JsonObject)
            : [];
}
