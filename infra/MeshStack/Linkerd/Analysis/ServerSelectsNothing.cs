using System.Text.Json.Nodes;
using MeshStack.Analysis;
using MeshStack.Analysis.Rules.Authorization;
using MeshStack.Security.Policy;

namespace MeshStack.Linkerd.Analysis;

public sealed class ServerSelectsNothing : SelectorMatchesNothing
{
    public override string Id => "MS205";
    protected override string Group => "policy.linkerd.io";
    protected override string Kind => "Server";
    protected override JsonObject? Selector(RenderedObject o) => o.Spec?["podSelector"]?["matchLabels"] as JsonObject;
}
