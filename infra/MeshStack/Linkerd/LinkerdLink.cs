using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MeshStack.Linkerd;

/// <summary>
/// Linkerd's <c>Link</c> (<c>multicluster.linkerd.io/v1alpha3</c>): one cluster's view of another, read by that
/// link's service-mirror controller. Written by hand after the Go type in linkerd2
/// (<c>controller/gen/apis/link/v1alpha3/types.go</c>), the type <c>linkerd multicluster link-gen</c> prints: the CRD is
/// installed by the linkerd-multicluster chart and is not among the upstream schemas the typed CRDs are generated from.
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = "links")]
public sealed class LinkerdLink : IKubernetesObject<V1ObjectMeta>
{
    public const string KubeGroup = "multicluster.linkerd.io";
    public const string KubeApiVersion = "v1alpha3";
    public const string KubeKind = "Link";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = $"{KubeGroup}/{KubeApiVersion}";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public required LinkSpec Spec { get; set; }
}

public sealed class LinkSpec
{
    [JsonPropertyName("targetClusterName")]
    public required string TargetClusterName { get; set; }

    [JsonPropertyName("targetClusterDomain")]
    public required string TargetClusterDomain { get; set; }

    [JsonPropertyName("targetClusterLinkerdNamespace")]
    public required string TargetClusterLinkerdNamespace { get; set; }

    [JsonPropertyName("clusterCredentialsSecret")]
    public required string ClusterCredentialsSecret { get; set; }

    /// <summary>Comma-separated addresses of the target's gateway; absent when the target exports without one.</summary>
    [JsonPropertyName("gatewayAddress")]
    public string? GatewayAddress { get; set; }

    /// <summary>A port number as a string, as the CRD has it.</summary>
    [JsonPropertyName("gatewayPort")]
    public string? GatewayPort { get; set; }

    [JsonPropertyName("gatewayIdentity")]
    public string? GatewayIdentity { get; set; }

    [JsonPropertyName("probeSpec")]
    public LinkProbeSpec? ProbeSpec { get; set; }

    [JsonPropertyName("selector")]
    public V1LabelSelector? Selector { get; set; }

    [JsonPropertyName("remoteDiscoverySelector")]
    public V1LabelSelector? RemoteDiscoverySelector { get; set; }

    [JsonPropertyName("federatedServiceSelector")]
    public V1LabelSelector? FederatedServiceSelector { get; set; }
}

public sealed class LinkProbeSpec
{
    [JsonPropertyName("path")]
    public required string Path { get; set; }

    [JsonPropertyName("port")]
    public required string Port { get; set; }

    /// <summary>A Go duration, e.g. <c>3s</c>.</summary>
    [JsonPropertyName("period")]
    public required string Period { get; set; }
}
