namespace MeshStack.Traffic;

/// <summary>
/// A second version of a service beside the stable one: <see cref="Weight"/> percent of its traffic, and all
/// traffic carrying <see cref="Header"/>. <see cref="Automated"/> hands the weights to Flagger instead.
/// </summary>
public sealed record CanaryIntent(string Service, string Version, int Weight, HeaderMatch? Header, string ImageTag, bool Automated)
{
    public const string StableVersion = "v1";
}
