using k8s.Models;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Istio;
using MeshStack.Kubernetes;
using MeshStack.Linkerd;
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
        if (plan.Mesh.Kind != MeshKind.Linkerd) return;
        var ns = plan.Topology.Namespace;
        plan.CustomizeAppNamespace(meta =>
        {
            meta.Annotations ??= new Dictionary<string, string>();
            meta.Annotations[LinkerdSecurityRenderer.DefaultInboundPolicyAnnotation] =
                LinkerdSecurityRenderer.DefaultInboundPolicy(MtlsModes.For(config, ns));
        });
    }

    public void Build(ClusterBuild build)
    {
        _clusters.Add(build);
        var topology = build.Topology;
        var local = build.Plan.LocalServices.ToList();
        var intent = AuthorizationIntent.InCluster(config, build.Scope.Cluster, topology);
        var objects = new List<object>();
        var dependsOn = new List<Resource> { build.Install.Crds, build.AppNamespace };
        if (build.Mesh.Kind == MeshKind.Istio)
        {
            objects.Add(IstioSecurityRenderer.PeerAuthentication(IstioMesh.SystemNamespace, config.Mtls));
            objects.AddRange(IstioSecurityRenderer.Authorization(intent, local, build.Plan.AppLabels));
            if (config.Jwt is { } jwt && topology.EdgeTokenService is { } jwtService)
            {
                objects.AddRange(IstioSecurityRenderer.Jwt(jwt, topology.Namespace, jwtService));
                // the ingress gateway's namespace must exist before its RequestAuthentication
                if (ClusterNamespaces.In(build.Scope.Graph, build.Scope.Cluster.Name).TryGetValue(IstioMesh.IngressNamespace, out var ingressNs))
                    dependsOn.Add(ingressNs);
            }
        }
        else
        {
            objects.AddRange(LinkerdSecurityRenderer.Authorization(intent, local, topology.Namespace,
                MtlsModes.For(config, topology.Namespace), build.Plan.AppLabels));
        }
        build.Scope.CustomResources("security", objects, dependsOn);
    }

    public void Complete(ResourceGraph graph)
    {
        if (config.Mesh == MeshKind.Linkerd) ApplyLinkerdDefaultPolicy(graph);
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
                if (build.Mesh.Kind == MeshKind.Istio && ns == IstioMesh.SystemNamespace)
                {
                    problems.Add(path, $"{ns} is Istio's root namespace, whose policy is mesh-wide; set {ConfigKeys.Mtls.FullName} instead");
                    continue;
                }
                if (!namespaces.TryGetValue(ns, out var nsResource))
                {
                    problems.Add(path, $"cluster '{build.Scope.Cluster.Name}' has no namespace '{ns}' created by this stack; known: {string.Join(", ", namespaces.Keys.Order(StringComparer.Ordinal))}");
                    continue;
                }
                if (build.Mesh.Kind == MeshKind.Istio)
                {
                    overrides.Add(IstioSecurityRenderer.PeerAuthentication(ns, mode));
                    dependsOn.Add(nsResource);
                }
                else
                {
                    // the namespace object is emitted after synthesis: annotating it here is still in time
                    var meta = ((V1Namespace)nsResource.Inputs).Metadata;
                    meta.Annotations ??= new Dictionary<string, string>();
                    meta.Annotations[LinkerdSecurityRenderer.DefaultInboundPolicyAnnotation] = LinkerdSecurityRenderer.DefaultInboundPolicy(mode);
                }
            }
            if (overrides.Count > 0) build.Scope.CustomResources("mtls-overrides", overrides, dependsOn);
        }
        problems.ThrowIfAny();
    }

    /// <summary>
    /// Linkerd's inbound policy is per namespace: every meshed namespace the stack creates (observability,
    /// linkerd-viz, ...) gets the configured mode, not the cluster default (all-unauthenticated). A namespace
    /// that set its own policy on purpose (the edge, which must accept clients from outside the mesh) keeps it.
    /// </summary>
    private void ApplyLinkerdDefaultPolicy(ResourceGraph graph)
    {
        foreach (var build in _clusters)
        {
            foreach (var (name, resource) in ClusterNamespaces.In(graph, build.Scope.Cluster.Name))
            {
                var meta = ((V1Namespace)resource.Inputs).Metadata;
                if (meta.Annotations is null || !meta.Annotations.TryGetValue("linkerd.io/inject", out var inject) || inject != "enabled") continue;
                if (meta.Annotations.ContainsKey(LinkerdSecurityRenderer.DefaultInboundPolicyAnnotation)) continue;
                meta.Annotations[LinkerdSecurityRenderer.DefaultInboundPolicyAnnotation] = LinkerdSecurityRenderer.DefaultInboundPolicy(MtlsModes.For(config, name));
            }
        }
    }
}
