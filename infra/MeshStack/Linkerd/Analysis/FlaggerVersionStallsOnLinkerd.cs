using MeshStack.Analysis;
using MeshStack.Flagger;

namespace MeshStack.Linkerd.Analysis;

/// <summary>
/// A Flagger from 1.42 waits for an observedGeneration on the HTTPRoute's Accepted condition that Linkerd's policy
/// controller never writes, so on Linkerd a Gateway API canary never advances (<see cref="FlaggerLinkerdCompatibility"/>
/// has the upstream lines). The config binder refuses such a pin; this finds it in a render made or edited otherwise.
/// </summary>
public sealed class FlaggerVersionStallsOnLinkerd : AnalysisRule
{
    public override string Id => "MS705";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a Flagger release that waits for a route status Linkerd never writes";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var release in model.Releases.Where(r => r.Chart == "flagger"))
        {
            var numeric = release.Version.Split('-', '+')[0];
            if (!Version.TryParse(numeric, out var version) || version < FlaggerLinkerdCompatibility.FirstWaitingVersion) continue;
            if (!model.OfKind("flagger.app", "Canary", release.Cluster).Any()) continue;
            yield return At(release.Ref,
                $"Flagger {release.Version} holds every Gateway API canary until the HTTPRoute's Accepted condition reports an observedGeneration, which Linkerd's policy controller never sets (linkerd/linkerd2#14964): the canary never advances",
                "pin Flagger 1.41.x with Linkerd (mesh-stack:charts.flagger.version)");
        }
    }
}
