using MeshStack.Analysis;
using MeshStack.Analysis.Rules.Authorization;

namespace MeshStack.Istio.Analysis;

public sealed class RequestAuthenticationSelectsNothing : SelectorMatchesNothing
{
    public override string Id => "MS202";
    protected override string Group => "security.istio.io";
    protected override string Kind => "RequestAuthentication";
}
