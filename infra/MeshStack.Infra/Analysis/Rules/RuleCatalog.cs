using MeshStack.Analysis.Rules.Authorization;
using MeshStack.Analysis.Rules.Availability;
using MeshStack.Analysis.Rules.Delivery;
using MeshStack.Analysis.Rules.MultiCluster;
using MeshStack.Analysis.Rules.Reachability;
using MeshStack.Analysis.Rules.Telemetry;
using MeshStack.Analysis.Rules.Traffic;

namespace MeshStack.Analysis.Rules;

/// <summary>Every analysis rule beyond the policy pack, in id order.</summary>
public static class RuleCatalog
{
    public static IReadOnlyList<AnalysisRule> Rules { get; } =
    [
        new ServiceSelectsNoPods(),
        new ServiceTargetPortMissing(),
        new ServiceAccountMissing(),
        new IstioDestinationUnknown(),
        new GatewayBackendUnknown(),
        new RouteParentUnknown(),
        new ProbePortUndeclared(),
        new CrdValidationFails(),
        new AuthorizationPolicySelectsNothing(),
        new RequestAuthenticationSelectsNothing(),
        new IstioPrincipalUnknown(),
        new LinkerdIdentityUnknown(),
        new ServerSelectsNothing(),
        new ServerPortUnknown(),
        new LinkerdReferenceUnknown(),
        new ProbesDenied(),
        new ScrapeDenied(),
        new PermissiveDeniesUnmeshed(),
        new JwtNotEnforced(),
        new ServerConflict(),
        new IngressGrantWithoutEdge(),
        new WeightsNotHundred(),
        new SubsetMissing(),
        new RuleShadowed(),
        new RouteTie(),
        new RetriedNonIdempotent(),
        new AppAndMeshRetries(),
        new RetriesExceedTimeout(),
        new RouteWithoutTimeout(),
        new EdgeForwardsRoutingHeader(),
        new NoOutlierDetection(),
        new DuplicateHost(),
        new RetriesAtSeveralHops(),
        new RetriesWithoutBudget(),
        new AppTimeoutShorterThanMesh(),
        new TelemetrySelectsNothing(),
        new TracingProviderUnknown(),
        new PodMonitorSelectsNothing(),
        new CollectorPipelineBroken(),
        new SignalOnlyToDebug(),
        new DisruptionBudgetProblems(),
        new HelmReplicaCountIgnored(),
        new SinglePodGateway(),
        new IstioRemoteSecretMissing(),
        new LinkerdLinkMissing(),
        new TrustMismatch(),
        new StatefulFailover(),
        new CanaryTargetMissing(),
        new CanaryWithoutTrafficSource(),
        new MetricWithoutTls(),
        new CanaryProviderMismatch(),
        new FlaggerVersionStallsOnLinkerd(),
    ];
}
