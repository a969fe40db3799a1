using MeshStack.Analysis.Simulation;
using MeshStack.Config;

namespace MeshStack.Analysis.Rules.Authorization;

/// <summary>
/// Permissive mTLS exists to let unmeshed clients in during a migration. When the namespace is permissive but the
/// authorization policy admits no unauthenticated caller on any of a service's routes, permissive mode has no effect:
/// unmeshed clients are denied anyway.
/// </summary>
public sealed class PermissiveDeniesUnmeshed : AnalysisRule
{
    public override string Id => "MS210";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "mTLS is permissive but authorization still denies every unmeshed client";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        var ns = model.Topology.Namespace;
        foreach (var cluster in model.Clusters)
        {
            var objects = Mesh.ObjectsIn(model, cluster);
            if (!Permissive(model, cluster, ns)) continue;
            foreach (var service in model.Topology.Services)
            foreach (var pod in model.Pods.Where(p => p.Owner.Cluster == cluster && p.Owner.Namespace == ns && p.Labels.GetValueOrDefault("app") == service.Name && Mesh.IsMeshed(model, p)))
            {
                bool? anyAllowed = false;
                foreach (var route in service.Routes)
                {
                    if (MeshRoutes.SampleCall(route) is not { } sample) continue;
                    var request = new InboundRequest(null, route.Method, sample.Path, Port: 8080);
                    try
                    {
                        if (model.Mesh == MeshKind.Istio ? new IstioAuthorizer(objects).Allows(ns, pod.Labels, request) : new LinkerdAuthorizer(objects).Allows(ns, pod.Labels, "http", request))
                            anyAllowed = true;
                    }
                    catch (NotSupportedException)
                    {
                        anyAllowed = null;
                        break;
                    }
                }
                if (anyAllowed == false)
                    yield return At(pod.Owner, $"namespace {ns} is permissive, but no route of {service.Name} admits an unmeshed client: permissive mode lets nobody extra in",
                        "authorize the unmeshed clients being migrated (or use strict mTLS)");
            }
        }
    }

    private static bool Permissive(RenderModel model, string cluster, string ns)
    {
        if (model.Mesh == MeshKind.Istio)
        {
            string? Mode(string n) => model.OfKind("security.istio.io", "PeerAuthentication", cluster)
                .Where(p => p.Namespace == n && p.Spec?["selector"] is null).Select(p => Json.Str(p.Spec?["mtls"]?["mode"])).FirstOrDefault(m => m is not null);
            return (Mode(ns) ?? Mode(Istio.IstioMesh.SystemNamespace) ?? "PERMISSIVE") == "PERMISSIVE";
        }
        var annotation = model.OfKind("", "Namespace", cluster).FirstOrDefault(n => n.Name == ns)?.Object["metadata"]?["annotations"]?[Linkerd.LinkerdSecurityRenderer.DefaultInboundPolicyAnnotation];
        return (Json.Str(annotation) ?? "all-unauthenticated") is "all-unauthenticated" or "cluster-unauthenticated";
    }
}
