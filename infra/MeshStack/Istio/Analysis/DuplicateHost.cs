using MeshStack.Analysis;
namespace MeshStack.Istio.Analysis;

/// <summary>
/// Two mesh VirtualServices (or two DestinationRules) for one host in one namespace: Istio merges neither for sidecars
/// predictably, so one of them is ignored.
/// </summary>
public sealed class DuplicateHost : AnalysisRule
{
    public override string Id => "MS311";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "two mesh VirtualServices or DestinationRules declare the same host";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var kind in new[] { "VirtualService", "DestinationRule" })
        {
            var entries =
                from o in model.OfKind("networking.istio.io", kind)
                where kind == "DestinationRule" || !Json.Strings(o.Spec?["gateways"]).Any(g => g != "mesh")
                from host in kind == "DestinationRule" ? [Json.Str(o.Spec?["host"]) ?? ""] : Json.Strings(o.Spec?["hosts"])
                let target = ServiceResolver.Parse(host, o.Namespace ?? "default")
                where target is not null
                select (Object: o, Host: $"{o.Cluster}/{target!.Value.Namespace}/{target.Value.Name}");
            foreach (var g in entries.GroupBy(e => e.Host).Where(g => g.Count() > 1))
                yield return At(g.Last().Object, $"{kind}s {string.Join(", ", g.Select(e => e.Object.Name))} all declare host {g.Key}: one is ignored", $"keep one {kind} per host");
        }
    }
}
