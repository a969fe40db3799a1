using MeshStack.Analysis.Cel;

namespace MeshStack.Analysis.Rules.Reachability;

/// <summary>
/// The API server rejects an object that breaks a CEL rule (x-kubernetes-validations) of its CRD, so the apply fails.
/// Runs when <c>check --crds</c> supplies the CRDs; rules this evaluator cannot run are counted, not passed.
/// </summary>
public sealed class CrdValidationFails : AnalysisRule
{
    public override string Id => "MS108";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "an object breaks a CEL validation rule of its CRD (with check --crds)";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        if (model.Crds.Count == 0) yield break;
        var byType = model.Crds.GroupBy(c => (c.ApiVersion, c.Kind)).ToDictionary(g => g.Key, g => g.First());
        var validator = new CelValidator();
        foreach (var o in model.Objects)
        {
            if (!byType.TryGetValue((o.ApiVersion, o.Kind), out var crd)) continue;
            foreach (var failed in validator.Validate(crd, o.Object).Where(x => x.Failed))
                yield return At(o, $"the API server rejects it: {failed.Message} (at {(failed.Path.Length == 0 ? "the object" : failed.Path.TrimStart('.'))}, rule {failed.Rule})",
                    "change the object so that the CRD's rule holds");
        }
    }
}
