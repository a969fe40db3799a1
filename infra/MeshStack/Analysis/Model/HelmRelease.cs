using System.Text.Json.Nodes;

namespace MeshStack.Analysis;

/// <summary>A Helm release of the program: its chart, version, namespace and values (the chart's objects are not rendered).</summary>
public sealed record HelmRelease(string Cluster, string Resource, string Name, string Chart, string Version, string Namespace, JsonObject Values)
{
    public ObjectRef Ref => new(Cluster, "HelmRelease", Namespace, Name);

    /// <summary>A value by dotted path (<c>global.network</c>), or null.</summary>
    public JsonNode? Value(string path)
    {
        JsonNode? node = Values;
        foreach (var part in path.Split('.')) node = (node as JsonObject)?[part];
        return node;
    }
}
