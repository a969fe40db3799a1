using MeshStack.Analysis;
namespace MeshStack.Linkerd.Analysis;

/// <summary>
/// A Linkerd metric query for canary analysis that does not restrict to <c>tls="true"</c> also counts plaintext
/// requests (probes, unmeshed clients), which dilute the success rate of meshed traffic the canary is judged on.
/// </summary>
public sealed class MetricWithoutTls : AnalysisRule
{
    public override string Id => "MS703";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "a Linkerd proxy metric query of a MetricTemplate has no tls=\"true\" selector";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var t in model.OfKind("flagger.app", "MetricTemplate"))
        {
            var query = Json.Str(t.Spec?["query"]) ?? "";
            if ((query.Contains("response_total", StringComparison.Ordinal) || query.Contains("request_total", StringComparison.Ordinal))
                && !query.Contains("tls=\"true\"", StringComparison.Ordinal))
                yield return At(t, "the query counts plaintext requests too (no tls=\"true\")", "add tls=\"true\" to the proxy metric selectors");
        }
    }
}
