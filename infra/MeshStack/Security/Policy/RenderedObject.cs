using System.Text.Json.Nodes;
using MeshStack.Graph;

namespace MeshStack.Security.Policy;

/// <summary>
/// A Kubernetes object exactly as it will be rendered, with the graph resource that carries it (null when it was
/// read back from a render directory, where there is no graph).
/// </summary>
public sealed record RenderedObject(Resource? Resource, string Cluster, JsonObject Object)
{
    public string ApiVersion => Object["apiVersion"]?.GetValue<string>() ?? "";
    public string Kind => Object["kind"]?.GetValue<string>() ?? "";
    public string Name => Object["metadata"]?["name"]?.GetValue<string>() ?? "";
    public string? Namespace => Object["metadata"]?["namespace"]?.GetValue<string>();
    public JsonObject? Spec => Object["spec"] as JsonObject;

    public bool Is(string group, string kind) =>
        Kind == kind && (group.Length == 0 ? !ApiVersion.Contains('/') : ApiVersion.StartsWith(group + "/", StringComparison.Ordinal));

    /// <summary>Cluster, kind, namespace and name: how analysis findings locate it.</summary>
    public Analysis.ObjectRef Ref => new(Cluster, Kind, Namespace, Name);

    /// <summary>How findings name it: graph resource (or cluster), then kind and namespace/name.</summary>
    public override string ToString() => $"{Resource?.Name ?? Cluster} ({Kind} {(Namespace is null ? "" : Namespace + "/")}{Name})";
}
