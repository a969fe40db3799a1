using MeshStack.Flagger;
using MeshStack.Synthesis;
using MeshStack.Workloads;

namespace MeshStack.Traffic;

/// <summary>
/// Traffic management: the intent derived from the topology and the stack's traffic config, rendered by the
/// selected mesh. The mesh retries idempotent routes and times out every call, so the services turn their own retries
/// off and wait at least as long as the mesh (<see cref="AppCallTimeouts"/>).
/// An automated canary hands its service to Flagger: Flagger is installed in the cluster, the service's
/// Deployment runs the canary's image tag and is the one Flagger analyses, and the mesh renderers leave the
/// service's routes to Flagger (never a static route and Flagger's for the same host).
/// </summary>
public sealed class TrafficComponent(TrafficConfig config) : IStackComponent
{
    private TrafficIntent? _intent;
    private ITrafficRenderer? _renderer;

    public void Configure(ClusterPlan plan)
    {
        _intent ??= TrafficIntent.From(plan.Topology, config);
        _renderer ??= plan.Mesh.Traffic;
        plan.MeshRetries = true;
        CanaryHeaderForwarding.Configure(plan, _intent.Canary);
        var intent = _intent;
        plan.CustomizeDeployments((service, deployment) =>
        {
            if (AppCallTimeouts.For(service, plan.Topology, intent) is not { } timeout) return;
            // the app makes one attempt (the mesh retries) and must outlast the mesh's timeout: read by ServiceDefaults
            var ms = ((long)timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var container in deployment.Spec.Template.Spec.Containers.Where(c => c.Name == service.Name))
            {
                container.Env.Add(ServiceWorkloads.Var("Resilience__AttemptTimeoutMs", ms));
                container.Env.Add(ServiceWorkloads.Var("Resilience__TotalTimeoutMs", ms));
            }
        });
        if (_intent.Canary is { Automated: true } canary)
        {
            plan.HandToFlagger(canary.Service);
            // promoting a version = changing this tag: pulumi up changes the Deployment, Flagger sees a new revision,
            // analyses it and, when it passes, copies it to <service>-primary
            var registry = plan.Scope.Config.Images.Registry;
            plan.CustomizeDeployments((service, deployment) =>
            {
                if (service.Name != canary.Service) return;
                foreach (var container in deployment.Spec.Template.Spec.Containers.Where(c => c.Name == service.Name))
                    container.Image = $"{registry}/{service.Name}:{canary.ImageTag}";
                deployment.Metadata.Labels["app.kubernetes.io/version"] = canary.ImageTag;
                deployment.Spec.Template.Metadata.Labels["app.kubernetes.io/version"] = canary.ImageTag;
            });
        }
        _renderer.Configure(plan, _intent);
    }

    public void Build(ClusterBuild build)
    {
        CanaryWorkloads.Add(build, _intent!.Canary);
        _renderer!.Build(build, _intent);
        if (_intent.Canary is { Automated: true } canary)
        {
            var service = _intent.Service(canary.Service);
            var workload = build.Workload(service.Service);
            var flagger = FlaggerRelease.Install(build);
            // the Canary's load-test webhook needs the load tester up before the first analysis
            var loadTester = FlaggerLoadTester.Installed(build.Scope.Config)
                ? FlaggerLoadTester.Install(build, build.Scope.Graph[build.Scope.Name(FlaggerRelease.NamespaceResource)])
                : null;
            var objects = FlaggerCanary.Objects(service, _intent, workload.ServiceModel, build.Topology.Namespace, build.Scope.Config);
            build.Scope.CustomResources("flagger-canary", objects, flagger, loadTester, build.AppNamespace, workload.Deployment);
        }
    }
}
