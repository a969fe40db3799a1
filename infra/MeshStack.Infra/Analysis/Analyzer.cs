using MeshStack.Analysis.Rules;
using MeshStack.Security.Policy;

namespace MeshStack.Analysis;

/// <summary>
/// Runs every rule over a render: <c>check</c>, <c>render</c> and <c>program</c> all come here.
/// <c>mesh-stack:policy.warn</c> lowers the named rules' errors to warnings.
/// </summary>
public static class Analyzer
{
    public static IReadOnlyList<AnalysisRule> Rules { get; } =
        PolicyPack.Rules.Select(r => (AnalysisRule)new PolicyPackRule(r)).Concat(RuleCatalog.Rules).ToList();

    public static IReadOnlySet<string> RuleIds { get; } = Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

    public static AnalysisReport Run(RenderModel model) => Run(model, Rules);

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
