using MeshStack.Analysis.Rules.Authorization;
using MeshStack.Analysis.Rules.Availability;
using MeshStack.Analysis.Rules.Delivery;
using MeshStack.Analysis.Rules.MultiCluster;
using MeshStack.Analysis.Rules.Reachability;
using MeshStack.Analysis.Rules.Telemetry;
using MeshStack.Analysis.Rules.Traffic;

namespace MeshStack.Analysis.Rules;

/// <summary>Every analysis rule beyond the policy pack that applies to both meshes, in id order (each mesh lists its own: <see cref="IMeshAnalysis.Rules"/>).</summary>
public static class RuleCatalog
{
    public static IReadOnlyList<AnalysisRule> Rules { get; } =
    [
        new ServiceSelectsNoPods(),
        new ServiceTargetPortMissing(),
        new ServiceAccountMissing(),
        new GatewayBackendUnknown(),
        new RouteParentUnknown(),
        new ProbePortUndeclared(),
        new CrdValidationFails(),
        new ProbesDenied(),
        new PermissiveDeniesUnmeshed(),
        new IngressGrantWithoutEdge(),
        new WeightsNotHundred(),
        new RouteTie(),
        new RetriedNonIdempotent(),
        new AppAndMeshRetries(),
        new RetriesExceedTimeout(),
        new RouteWithoutTimeout(),
        new EdgeForwardsRoutingHeader(),
        new NoOutlierDetection(),
        new RetriesAtSeveralHops(),
        new AppTimeoutShorterThanMesh(),
        new PodMonitorSelectsNothing(),
        new CollectorPipelineBroken(),
        new SignalOnlyToDebug(),
        new DisruptionBudgetProblems(),
        new TrustMismatch(),
        new StatefulFailover(),
        new CanaryTargetMissing(),
        new CanaryWithoutTrafficSource(),
        new CanaryProviderMismatch(),
    ];
}
