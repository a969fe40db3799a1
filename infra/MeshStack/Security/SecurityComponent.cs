using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Synthesis;

namespace MeshStack.Security;

/// <summary>
/// Zero trust from the topology: mTLS per namespace, authorization of exactly the declared calls, JWT at the edge.
/// Per-namespace mTLS overrides are resolved last (<see cref="Complete"/>), once every component has created its
/// namespaces, so an override may name any namespace the stack creates and nothing else.
/// </summary>
public sealed class SecurityComponent(StackConfig config) : IStackComponent
{

    private readonly List<ClusterBuild> _clusters = [];

    public void Configure(ClusterPlan plan)
    {
        if (config.Jwt is { } jwt)
        {
            plan.CustomizeDeployments((service, deployment) =>
            {
                if (!service.ValidatesEndUserTokens) return;
                var container = deployment.Spec.Template.Spec.Containers.First(c => c.Name == service.Name);
                container.Env ??= [];
                foreach (var v in JwtEnvironment.For(jwt)) container.Env.Add(v);
            });
        }
        plan.Mesh.Security.Configure(plan, config);
    }

    public void Build(ClusterBuild build)
    {
        _clusters.Add(build);
        var topology = build.Topology;
        var local = build.Plan.LocalServices.ToList();
        var intent = AuthorizationIntent.InCluster(config, build.Scope.Cluster, topology);
        var policies = build.Mesh.Security.Build(build, config, intent, local);
        build.Scope.CustomResources("security", policies.Objects, [build.Install.Crds, build.AppNamespace, .. policies.DependsOn]);
    }

    public void Complete(ResourceGraph graph)
    {
        foreach (var security in _clusters.Select(b => b.Mesh.Security).Distinct()) security.Complete(_clusters, graph, config);
        if (config.MtlsOverrides.Count == 0) return;
        var problems = new ConfigProblems();
        foreach (var build in _clusters)
        {
            var namespaces = ClusterNamespaces.In(graph, build.Scope.Cluster.Name);
            var overrides = new List<object>();
            var dependsOn = new List<Resource> { build.Install.Crds };
            foreach (var (ns, mode) in config.MtlsOverrides.OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                var path = $"{ConfigKeys.MtlsOverrides.FullName}.{ns}";
                if (ns == build.Mesh.Security.MeshWideNamespace)
                {
                    problems.Add(path, $"{ns} is the mesh's root namespace, whose policy is mesh-wide; set {ConfigKeys.Mtls.FullName} instead");
                    continue;
                }
                if (!namespaces.TryGetValue(ns, out var nsResource))
                {
                    problems.Add(path, $"cluster '{build.Scope.Cluster.Name}' has no namespace '{ns}' created by this stack; known: {string.Join(", ", namespaces.Keys.Order(StringComparer.Ordinal))}");
                    continue;
                }
                if (build.Mesh.Security.MtlsOverride(ns, mode, nsResource) is { } policy)
                {
                    overrides.Add(policy);
                    dependsOn.Add(nsResource);
                }
            }
            if (overrides.Count > 0) build.Scope.CustomResources("mtls-overrides", overrides, dependsOn);
        }
        problems.ThrowIfAny();
    }
}
