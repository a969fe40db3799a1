using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Config;
using MeshStack.Database;
using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Meshes;
using MeshStack.Observability;
using MeshStack.Topology;
using MeshStack.Workloads;

namespace MeshStack.Synthesis;

/// <summary>
/// Config and topology in, resource graph out. Pure: the same input always gives the same graph,
/// so tests check it directly and the program can be rendered offline.
/// </summary>
public static class StackSynthesizer
{
    /// <summary>The stack's application is <see cref="StackConfig.App"/>: the one its config was bound against.</summary>
    /// <param name="customizations">The user's patches on emitted objects, applied as each object is made.</param>
    public static ResourceGraph Synthesize(StackConfig config, StackCustomizations? customizations = null)
    {
        var mesh = MeshCatalog.Create(config.Mesh);
        return Synthesize(config, new ResourceGraph(), mesh, Components(config, mesh), customizations);
    }

    /// <summary>The stack's components, in the order they configure and build each cluster.</summary>
    private static List<IStackComponent> Components(StackConfig config, IServiceMesh mesh)
    {
        List<IStackComponent> components =
        [
            new PostgresComponent(),
            ObservabilityComponent.For(mesh),
            new Traffic.TrafficComponent(config.Traffic),
            new Security.SecurityComponent(config),
        ];
        // cross-cluster discovery and links exist only between clusters (shared trust is part of every install)
        if (config.Clusters.Count > 1) components.AddRange(mesh.MultiCluster);
        components.AddRange(mesh.Platform);
        return components;
    }

    public static ResourceGraph Synthesize(StackConfig config, ResourceGraph graph, IServiceMesh mesh, IReadOnlyList<IStackComponent> components,
        StackCustomizations? customizations = null)
    {
        var topology = config.App;
        var customizing = new CustomizationRun(customizations?.Items ?? []);
        foreach (var cluster in config.Clusters)
        {
            var provider = Providers.Kubernetes(graph, config, cluster);
            var scope = new ClusterScope(graph, config, cluster, provider, customizing.Apply);
            var plan = new ClusterPlan(scope, topology, mesh);
            foreach (var component in components) component.Configure(plan);

            var install = mesh.Install(scope);
            var beforeApps = plan.InstallBeforeApps(install);

            // injection works only once the control plane answers: the namespace waits for it
            var nsMeta = new V1ObjectMeta
            {
                Name = topology.Namespace,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = topology.Name },
            };
            mesh.MarkForInjection(nsMeta);
            plan.Apply(nsMeta);
            var ns = scope.Add($"ns-{topology.Namespace}", new V1Namespace { Metadata = nsMeta }, [install.ControlPlane, .. beforeApps]);

            // every service is declared in every cluster; its workloads only where it runs
            var workloads = new Dictionary<string, ServiceWorkload>();
            var services = new Dictionary<string, ServiceRef>();
            foreach (var service in topology.Services)
            {
                if (plan.Runs(service)) services[service.Name] = (workloads[service.Name] = ServiceWorkloads.Add(plan, service, ns)).Ref;
                else services[service.Name] = ServiceWorkloads.AddRemote(plan, service, ns);
            }
            var build = new ClusterBuild(plan, install, ns, workloads, services);
            foreach (var component in components) component.Build(build);
        }
        foreach (var component in components) component.Complete(graph);
        customizing.ThrowIfUnused();

        graph.AddOutput("mesh", ConfigObject.Spelling(config.Mesh));
        graph.AddOutput("clusters", new JsonArray(config.Clusters.Select(c => (JsonNode)c.Name).ToArray()));
        graph.AddOutput("namespace", topology.Namespace);
        return graph;
    }
}
