using MeshStack.Config;
using MeshStack.Istio;
using MeshStack.Linkerd;
using MeshStack.Synthesis;

namespace MeshStack.Traffic;

/// <summary>
/// Traffic management: the intent derived from the topology and the stack's traffic config, rendered by the
/// selected mesh. The mesh retries idempotent routes, so the services turn their own retries off.
/// </summary>
public sealed class TrafficComponent(TrafficConfig config) : IStackComponent
{
    private TrafficIntent? _intent;
    private ITrafficRenderer? _renderer;

    public void Configure(ClusterPlan plan)
    {
        _intent ??= TrafficIntent.From(plan.Topology, config);
        _renderer ??= plan.Mesh.Kind switch
        {
            MeshKind.Istio => new IstioTrafficRenderer(),
            _ => new LinkerdTrafficRenderer(),
        };
        plan.MeshRetries = true;
        _renderer.Configure(plan, _intent);
    }

    public void Build(ClusterBuild build)
    {
        CanaryWorkloads.Add(build, _intent!.Canary);
        _renderer!.Build(build, _intent);
    }
}
