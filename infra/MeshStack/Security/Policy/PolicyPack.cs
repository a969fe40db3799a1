using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Security.Policy.Rules;
using MeshStack.Topology;

namespace MeshStack.Security.Policy;

/// <summary>
/// Built-in policy as code, run over the whole graph after synthesis in both <c>program</c> and <c>render</c>:
/// a stack that breaks a rule is not emitted. <c>mesh-stack:policy.warn</c> lowers named rules to warnings.
/// </summary>
public static class PolicyPack
{
    public static IReadOnlyList<PolicyRule> Rules { get; } =
    [
        new ProdRequiresStrictMtls(),
        new NoWildcardPrincipals(),
        new EdgesAuthorized(),
        new WorkloadResources(),
        new WorkloadNonRoot(),
        new WorkloadReadOnlyRootFilesystem(),
        new WorkloadNoAddedCapabilities(),
        new ImageNoLatestTag(),
        new DisruptionBudgetWhenReplicated(),
    ];

    public static IReadOnlySet<string> RuleIds { get; } = Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

    public static PolicyReport Run(StackConfig config, AppTopology topology, ResourceGraph graph) =>
        Run(PolicyContext.From(config, topology, graph), config.Policy);

    public static PolicyReport Run(PolicyContext context, PolicyConfig policy)
    {
        var findings = Rules.SelectMany(r => r.Check(context)).ToList();
        return new PolicyReport(
            findings.Where(f => !policy.Warn.Contains(f.RuleId)).ToList(),
            findings.Where(f => policy.Warn.Contains(f.RuleId)).ToList());
    }
}
