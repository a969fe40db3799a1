namespace MeshStack.Traffic;

/// <summary>
/// A second version of a service beside the stable one. Static (<see cref="Analysis"/> null): <see cref="Weight"/>
/// percent of its traffic and all traffic carrying <see cref="Header"/> go to the <c>v2</c> Deployment.
/// Automated (<see cref="Analysis"/> set): Flagger owns the service's routing and shifts the weights itself,
/// analysing the Deployment of the service, whose image tag is <see cref="ImageTag"/>; <see cref="Weight"/> is 0.
/// </summary>
public sealed record CanaryIntent(string Service, string Version, int Weight, HeaderMatch? Header, string ImageTag, bool Automated)
{
    public const string StableVersion = "v1";

    /// <summary>How Flagger judges and advances an automated canary; null for a static one.</summary>
    public CanaryAnalysis? Analysis { get; init; }
}
