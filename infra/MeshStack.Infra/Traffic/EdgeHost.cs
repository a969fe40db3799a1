namespace MeshStack.Traffic;

/// <summary>A public host name served at the ingress by one service, e.g. api.example.com → api-gateway.</summary>
public sealed record EdgeHost(string Host, string Service);
