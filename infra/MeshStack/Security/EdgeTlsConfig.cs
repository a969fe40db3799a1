namespace MeshStack.Security;

/// <summary>
/// HTTPS at the edge (<c>mesh-stack:edgeTls</c>): the edge serves its hosts over TLS with the certificate in a
/// <c>kubernetes.io/tls</c> Secret the stack does not make (a certificate authority issues it: by hand, or
/// cert-manager writing a Certificate's secretName), and answers plain HTTP with a redirect to HTTPS, since the
/// requests carry bearer tokens. The Secret lives where the edge proxy reads it: Istio's gateway reads a
/// credentialName from its own namespace (<see cref="Istio.IstioMesh.IngressNamespace"/>), Traefik reads an
/// Ingress's TLS Secret from the Ingress's namespace (the app namespace).
/// </summary>
public sealed record EdgeTlsConfig(string SecretName)
{
    public const string DefaultSecretName = "edge-tls";

    public static EdgeTlsConfig Default { get; } = new(DefaultSecretName);
}
