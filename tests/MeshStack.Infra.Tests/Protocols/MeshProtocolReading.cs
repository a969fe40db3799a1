namespace MeshStack.Tests.Protocols;

/// <summary>How each mesh's control plane reads a Service port's protocol, as its source does.</summary>
public static class MeshProtocolReading
{
    /// <summary>
    /// Linkerd's outbound policy (edge-26.8.3 policy-controller/core/src/outbound.rs 53-61): three names are known;
    /// anything else is Unknown and proxied like opaque TCP (policy-controller/grpc/src/outbound.rs 566-580).
    /// Without an appProtocol the proxy detects the protocol itself.
    /// </summary>
    public static string Linkerd(string? appProtocol) => appProtocol switch
    {
        null => "detect",
        "http" => "http1",
        "kubernetes.io/h2c" => "http2",
        "linkerd.io/tcp" or "linkerd.io/opaque" => "opaque",
        _ => "opaque (unknown appProtocol)",
    };

    /// <summary>
    /// Istio's conversion (1.31 pkg/config/kube/conversion.go 48-93, protocol/instance.go Parse): the appProtocol if set,
    /// else the port name, up to its first '-'; the Kubernetes h2c name is HTTP2; an unknown name is sniffed.
    /// </summary>
    public static string Istio(string portName, string? appProtocol)
    {
        if (appProtocol == "kubernetes.io/h2c") return "http2";
        var name = appProtocol ?? portName;
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0) name = name[..dash];
        return name.ToLowerInvariant() switch
        {
            "tcp" => "tcp",
            "grpc" or "http2" => "http2",
            "http" => "http1",
            _ => "sniffed",
        };
    }
}
