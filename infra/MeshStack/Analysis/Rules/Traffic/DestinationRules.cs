using MeshStack.Security.Policy;

namespace MeshStack.Analysis.Rules.Traffic;

/// <summary>
/// The DestinationRules of a render by cluster and the Service their host names, read once per rule: the rules that
/// look one up per route or per service would otherwise scan them all each time (quadratic in services).
/// </summary>
public static class DestinationRules
{
    /// <param name="defaultNamespace">The namespace of a short host in a DestinationRule that names none.</param>
    public static ILookup<(string Cluster, (string Name, string Namespace) Target), RenderedObject> ByTarget(RenderModel model, string defaultNamespace) =>
        (from dr in model.OfKind("networking.istio.io", "DestinationRule")
         let target = ServiceResolver.Parse(Json.Str(dr.Spec?["host"]) ?? "", dr.Namespace ?? defaultNamespace)
         where target is not null
         select (Key: (dr.Cluster, target.Value), Rule: dr)).ToLookup(x => x.Key, x => x.Rule);
}
