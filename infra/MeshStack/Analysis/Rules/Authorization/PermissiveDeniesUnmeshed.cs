using MeshStack.Analysis.Simulation;

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
            var objects = model.ObjectsIn(cluster);
            if (!model.Mesh.Permissive(model, cluster, ns)) continue;
            foreach (var service in model.Topology.Services)
            foreach (var pod in model.Pods.Where(p => p.Owner.Cluster == cluster && p.Owner.Namespace == ns && p.Labels.GetValueOrDefault("app") == service.Name && model.Mesh.IsMeshed(model, p)))
            {
                bool? anyAllowed = false;
                foreach (var route in service.Routes)
                {
                    if (MeshRoutes.SampleCall(route) is not { } sample) continue;
                    var request = new InboundRequest(null, route.Method, sample.Path, Port: 8080);
                    try
                    {
                        if (model.Mesh.Authorize(objects, ns, pod.Labels, "http", request).Allowed)
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
}
