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
        foreach (var cluster in model.Clusters)
        foreach (var service in model.Topology.Services)
        {
            var svc = ServiceResolver.Find(model, cluster, service.Name, ns);
            if (svc is null) continue;
            if (!model.Mesh.OutlierDetection(model, cluster, svc))
                yield return At(svc, "no outlier detection: a failing endpoint keeps its share of requests", model.Mesh.OutlierDetectionFix);
        }
    }
}
