using k8s.Models;

namespace MeshStack.Workloads;

/// <summary>
/// A Service as routes and policies refer to it (host, parentRef name and port), read from the Service that was made,
/// so a route cannot name a Service the stack never declared or declared under another name.
/// </summary>
public sealed record ServiceRef(string Name, string Namespace, int Port)
{
    /// <summary>The reference to <paramref name="made"/>: its name, namespace and <c>http</c> port.</summary>
    public static ServiceRef Of(V1Service made) => new(made.Metadata.Name, made.Metadata.NamespaceProperty,
        made.Spec.Ports.Single(p => p.Name == "http").Port);

    /// <summary>The Service's fully qualified name in the cluster, as meshes name hosts.</summary>
    public string Host => $"{Name}.{Namespace}.svc.cluster.local";
}
