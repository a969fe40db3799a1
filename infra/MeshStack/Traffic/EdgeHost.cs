namespace MeshStack.Traffic;

/// <summary>A public host name served at the ingress by one service, e.g. api.example.com → api-gateway.</summary>
public sealed record EdgeHost(string Host, string Service)
{
    /// <summary>The name of the object that routes this host at the edge (Istio VirtualService, Linkerd's Ingress).</summary>
    public string ObjectName => ObjectNameFor(Host);

    public static string ObjectNameFor(string host) => $"edge-{host.Replace('.', '-').Replace("*", "wildcard", StringComparison.Ordinal)}";
}
