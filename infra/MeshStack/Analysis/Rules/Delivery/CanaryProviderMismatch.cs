namespace MeshStack.Analysis.Rules.Delivery;

/// <summary>
/// Flagger drives traffic through the provider a Canary names: <c>istio</c> (VirtualServices) on Istio, <c>linkerd</c>
/// or <c>gatewayapi:v1</c> (HTTPRoutes on the Service) on Linkerd. A provider of the other mesh shifts no traffic.
/// </summary>
public sealed class CanaryProviderMismatch : AnalysisRule
{
    public override string Id => "MS704";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a Flagger Canary names a traffic provider the stack's mesh does not run";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var c in model.OfKind("flagger.app", "Canary"))
        {
            var provider = Json.Str(c.Spec?["provider"]) ?? Json.Str(model.Releases.FirstOrDefault(r => r.Chart == "flagger")?.Value("meshProvider")) ?? "";
            if (!model.Mesh.ServesCanaryProvider(provider))
                yield return At(c, $"provider '{provider}' is not one the {model.Mesh.Name} mesh serves: Flagger shifts no traffic", model.Mesh.CanaryProviderFix);
        }
    }
}
