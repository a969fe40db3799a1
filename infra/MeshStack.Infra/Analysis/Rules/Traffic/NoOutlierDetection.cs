using MeshStack.Config;

namespace MeshStack.Analysis.Rules.Traffic;

/// <summary>
/// Without outlier detection (Istio DestinationRule <c>outlierDetection</c>; Linkerd Service
/// <c>balancer.linkerd.io/failure-accrual: consecutive</c>) a failing endpoint keeps receiving its share of requests.
/// </summary>
public sealed class NoOutlierDetection : AnalysisRule
{
    public override string Id => "MS310";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "an app service has no outlier detection / failure accrual";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        var ns = model.Topology.Namespace;
        var rulesFor = DestinationRules.ByTarget(model, ns);
        foreach (var cluster in model.Clusters)
        foreach (var service in model.Topology.Services)
        {
            var svc = ServiceResolver.Find(model, cluster, service.Name, ns);
            if (svc is null) continue;
            var ok = model.Mesh == MeshKind.Istio
                ? rulesFor[(cluster, (service.Name, ns))].Any(d => d.Spec?["trafficPolicy"]?["outlierDetection"] is not null)
                : Json.Str(svc.Object["metadata"]?["annotations"]?["balancer.linkerd.io/failure-accrual"]) == "consecutive";
            if (!ok) yield return At(svc, "no outlier detection: a failing endpoint keeps its share of requests", model.Mesh == MeshKind.Istio ? "set trafficPolicy.outlierDetection in the DestinationRule" : "annotate the Service balancer.linkerd.io/failure-accrual: consecutive");
        }
    }
}
