using MeshStack.Analysis;
namespace MeshStack.Istio.Analysis;

/// <summary>
/// A Telemetry's tracing provider must be one of istiod's <c>meshConfig.extensionProviders</c>; an unknown name
/// disables tracing for the workloads it selects.
/// </summary>
public sealed class TracingProviderUnknown : AnalysisRule
{
    public override string Id => "MS402";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a Telemetry names a tracing provider istiod does not define";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var t in model.OfKind("telemetry.istio.io", "Telemetry"))
        {
            var defined = model.Releases.Where(r => r.Cluster == t.Cluster && r.Chart == "istiod")
                .SelectMany(r => Json.Objects(r.Value("meshConfig.extensionProviders"))).Select(p => Json.Str(p["name"])).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var name in Json.Objects(t.Spec?["tracing"]).SelectMany(x => Json.Objects(x["providers"])).Select(p => Json.Str(p["name"])).OfType<string>())
                if (!defined.Contains(name))
                    yield return At(t, $"tracing provider '{name}' is not among istiod's extensionProviders ({string.Join(", ", defined)}): no spans are sent",
                        "name a provider defined in meshConfig.extensionProviders");
        }
    }
}
