using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Graph;

namespace MeshStack.Kubernetes;

/// <summary>One explicit Kubernetes provider per cluster: nothing silently uses the ambient default provider.</summary>
public static class Providers
{
    public static Resource Kubernetes(ResourceGraph graph, StackConfig config, ClusterConfig cluster)
    {
        JsonObject inputs = new()
        {
            ["context"] = cluster.Context,
            // only a change of this string replaces the provider, and with it everything in the cluster
            ["clusterIdentifier"] = cluster.Name,
        };
        if (config.HasKubeconfig)
        {
            // a secret config value lands in a field the provider stores in state: keep it wrapped
            inputs["kubeconfig"] = new JsonObject { ["fn::secret"] = graph.DeclareSecretConfig(ConfigKeys.Kubeconfig.Name).ToString() };
        }
        return graph.Add($"k8s-{cluster.Name}", TypeTokens.KubernetesProvider, new RawInputs(inputs), cluster: cluster.Name);
    }
}
