using System.Text.Json.Nodes;

namespace MeshStack.Graph;

/// <summary>Inputs of <c>kubernetes:helm.sh/v3:Release</c>.</summary>
public sealed record HelmReleaseArgs : IProviderArgs
{
    /// <summary>The Helm release name; without it Pulumi autonames with a random suffix.</summary>
    public required string Name { get; init; }
    public required string Chart { get; init; }
    public required string Version { get; init; }
    public required string Namespace { get; init; }
    public required HelmRepositoryOpts RepositoryOpts { get; init; }
    public JsonObject Values { get; init; } = [];
    /// <summary>Seconds Helm waits for the release's resources to be ready.</summary>
    public int? Timeout { get; init; }
}

public sealed record HelmRepositoryOpts(string Repo);

/// <summary>Inputs of <c>kubernetes:yaml/v2:ConfigGroup</c>: whole manifests, used for every custom resource.</summary>
public sealed record ConfigGroupArgs : IProviderArgs
{
    /// <summary>Typed Kubernetes kinds or generated custom resources; written as <c>objs</c> (see InputSerializer).</summary>
    public IReadOnlyList<object> Objects { get; init; } = [];
}
