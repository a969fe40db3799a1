namespace MeshStack.Analysis.Rules.MultiCluster;

/// <summary>
/// A service that keeps state in its cluster's own database and fails over to another cluster writes, after failover,
/// into a different database: orders taken in one cluster are not there in the other. Judged in a stack where each
/// cluster renders its own database; where the mesh fails a service over comes from <see cref="IMeshAnalysis.StatefulFailovers"/>
/// (Istio: locality failover in a DestinationRule, unless the host is cluster-local; Linkerd: a route with a mirrored backend).
/// </summary>
public sealed class StatefulFailover : AnalysisRule
{
    public override string Id => "MS604";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "a database-backed service fails over to a cluster with a separate database";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        if (model.Clusters.Count < 2) yield break;
        var ns = model.Topology.Namespace;
        var databases = model.Clusters.Count(c => model.OfKind("apps", "StatefulSet", c).Any(s => s.Namespace == ns));
        if (databases < 2) yield break;
        foreach (var service in model.Topology.Services.Where(s => s.UsesDatabase))
        foreach (var cluster in model.Clusters)
        foreach (var (where, how, fix) in model.Mesh.StatefulFailovers(model, service, cluster))
            yield return At(where, $"{service.Name} keeps state in its cluster's database, and {how} to another cluster's separate database", fix);
    }
}
