using MeshStack.Graph;
using MeshStack.Pki;

namespace MeshStack.Linkerd;

/// <summary>
/// Linkerd's identity PKI: one trust anchor for the whole mesh (so clusters can trust each other) and an
/// issuer per cluster. Linkerd requires ECDSA P-256 and CA certificates signed with SHA-256.
/// </summary>
public sealed class LinkerdIdentity
{
    private readonly ResourceGraph _graph;
    private TlsCertificate? _anchor;

    public LinkerdIdentity(ResourceGraph graph) => _graph = graph;

    /// <summary>The graph the identity's certificates are made in.</summary>
    public ResourceGraph Graph => _graph;

    /// <summary>The shared trust anchor, made on first use.</summary>
    public TlsCertificate TrustAnchor => _anchor ??= Certificates.Root(_graph, "linkerd-trust-anchor", "root.linkerd.cluster.local");

    public TlsCertificate Issuer(string cluster) => Certificates.Signed(_graph, $"{cluster}-linkerd-issuer", TrustAnchor,
        new CertSubject { CommonName = "identity.linkerd.cluster.local" }, isCa: true,
        [KeyUsage.CertSigning, KeyUsage.CrlSigning, KeyUsage.ServerAuth, KeyUsage.ClientAuth],
        Validity.IntermediateHours, Validity.IntermediateRenewHours);
}
