using MeshStack.Graph;
using MeshStack.Synthesis;
using MeshStack.Workloads;

namespace MeshStack.Traffic;

/// <summary>
/// The canary version's Deployment (<c>order-v2</c>, label <c>version: v2</c>) beside the stable one, from the
/// same builder, so it gets every component's adjustments; only its image tag differs.
/// With Flagger (automated) there is none: Flagger builds the primary and canary from the one Deployment.
/// </summary>
public static class CanaryWorkloads
{
    public static Resource? Add(ClusterBuild build, CanaryIntent? canary)
    {
        if (canary is null || canary.Automated) return null;
        var service = build.Topology.Service(canary.Service);
        var deployment = ServiceWorkloads.Deployment(build.Plan, service, canary.Version);
        var config = build.Scope.Config;
        var image = config.Images.For(service, canary.ImageTag);
        foreach (var container in deployment.Spec.Template.Spec.Containers.Where(c => c.Name == service.Name)) container.Image = image;
        deployment.Metadata.Labels["app.kubernetes.io/version"] = canary.ImageTag;
        deployment.Spec.Template.Metadata.Labels["app.kubernetes.io/version"] = canary.ImageTag;
        var stable = build.Workload(service);
        return build.Scope.Add($"{service.Name}-{canary.Version}-deployment", deployment, build.AppNamespace, stable.ServiceAccount);
    }
}
