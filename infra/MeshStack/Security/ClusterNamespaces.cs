using k8s.Models;
using MeshStack.Graph;

namespace MeshStack.Security;

/// <summary>The Namespace resources the stack creates in one cluster, by namespace name.</summary>
public static class ClusterNamespaces
{
    public static Dictionary<string, Resource> In(ResourceGraph graph, string cluster) =>
        graph.Resources
            .Where(r => r.Cluster == cluster && r.Inputs is V1Namespace { Metadata.Name: not null })
            .GroupBy(r => ((V1Namespace)r.Inputs).Metadata.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
}
