using System.Text.Json.Nodes;
using MeshStack.Security.Policy;

namespace MeshStack.Analysis.Rules.Traffic;

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
            var service = ServiceResolver.Find(model, vs.Cluster, target.Name, target.Namespace);
            if (service is null) continue;
            var labels = definition["labels"] as JsonObject;
            var selected = model.PodsSelectedBy(vs.Cluster, target.Namespace, service.Spec?["selector"] as JsonObject)
                .Any(p => LabelSelector.Matches(labels, p.Labels));
            if (!selected)
                yield return At(vs, $"rule {rule.Name}: subset '{subset}' ({labels?.ToJsonString()}) selects no pod of Service {target.Name}: no healthy upstream",
                    "make the subset labels match the version label of a rendered workload");
        }
    }
}
