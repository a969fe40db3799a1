using MeshStack.Analysis.Rules;
using MeshStack.Meshes;
using MeshStack.Security.Policy;

namespace MeshStack.Analysis;

/// <summary>
/// Runs every rule over a render: <c>check</c>, <c>render</c> and <c>program</c> all come here.
/// <c>mesh-stack:policy.warn</c> lowers the named rules' errors to warnings.
/// </summary>
public static class Analyzer
{
    private static readonly IReadOnlyList<AnalysisRule> PolicyRules = PolicyPack.Rules.Select(r => (AnalysisRule)new PolicyPackRule(r)).ToList();

    /// <summary>The catalogue: the policy pack, then the rules of both meshes and of each mesh, in id order.</summary>
    public static IReadOnlyList<AnalysisRule> Rules { get; } =
        PolicyRules.Concat(RuleCatalog.Rules.Concat(MeshAnalysisCatalog.All.SelectMany(m => m.Rules)).OrderBy(r => r.Id, StringComparer.Ordinal)).ToList();

    public static IReadOnlySet<string> RuleIds { get; } = Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>The rules a render gets: every rule but those of the other meshes.</summary>
    public static IEnumerable<AnalysisRule> RulesFor(IMeshAnalysis mesh) =>
        Rules.Where(r => mesh.Rules.Contains(r) || !MeshAnalysisCatalog.All.Any(m => m.Rules.Contains(r)));

    public static AnalysisReport Run(RenderModel model) => Run(model, RulesFor(model.Mesh));

    public static AnalysisReport Run(RenderModel model, IEnumerable<AnalysisRule> rules)
    {
        var warn = model.Config?.Policy.Warn ?? new HashSet<string>();
        var findings = new List<Finding>();
        var lowered = new List<Finding>();
        var skipped = new List<string>();
        foreach (var rule in rules)
        {
            if (rule.ReadsConfig && model.Config is null)
            {
                skipped.Add(rule.Id);
                continue;
            }
            foreach (var f in rule.Check(model))
            {
                if (f.Level == FindingLevel.Error && warn.Contains(f.Rule))
                {
                    var w = f with { Level = FindingLevel.Warning };
                    lowered.Add(w);
                    findings.Add(w);
                }
                else findings.Add(f);
            }
        }
        var ordered = findings.OrderBy(f => f.Level).ThenBy(f => f.Rule, StringComparer.Ordinal)
            .ThenBy(f => f.Object.ToString(), StringComparer.Ordinal).ToList();
        return new AnalysisReport(ordered, lowered, skipped);
    }
}
