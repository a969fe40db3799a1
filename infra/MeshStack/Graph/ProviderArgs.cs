using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

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
    // not `required`: System.Text.Json rejects a required member it ignores, so serializing would throw
    [JsonIgnore]
    public IReadOnlyList<object> Objects { get; init; } = [];

    [JsonPropertyName("objs")]
    public JsonArray Objs => new(Objects.Select(o => (JsonNode)InputSerializer.KubernetesObject(o)).ToArray());
}
