using MeshStack.Analysis;
using MeshStack.Analysis.Rules.Authorization;

namespace MeshStack.Istio.Analysis;

public sealed class AuthorizationPolicySelectsNothing : SelectorMatchesNothing
{
    public override string Id => "MS201";
    protected override string Group => "security.istio.io";
    protected override string Kind => "AuthorizationPolicy";
}
