using MeshStack.Security.Policy;

namespace MeshStack.Analysis.Rules.Traffic;

/// <summary>The http rules of every rendered VirtualService, with their position.</summary>
public sealed record IstioHttpRule(RenderedObject VirtualService, int Index, System.Text.Json.Nodes.JsonObject Rule)
{
    public string Name => Json.Str(Rule["name"]) ?? $"http[{Index}]";

    public static IEnumerable<IstioHttpRule> In(RenderModel model) =>
        model.OfKind("networking.istio.io", "VirtualService").SelectMany(vs => Json.Objects(vs.Spec?["http"]).Select((r, i) => new IstioHttpRule(vs, i, r)));

    public IEnumerable<System.Text.Json.Nodes.JsonObject> Routes => Json.Objects(Rule["route"]);

    /// <summary>The methods the rule's matches restrict it to; null when some match admits every method.</summary>
    public IReadOnlySet<string>? Methods
    {
        get
        {
            var matches = Json.Objects(Rule["match"]).ToList();
            if (matches.Count == 0 || matches.Any(m => m["method"]?["exact"] is null)) return null;
            return matches.Select(m => Json.Str(m["method"]?["exact"]) ?? "").ToHashSet(StringComparer.Ordinal);
        }
    }
}
