using k8s.Models;
using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Pki;

namespace MeshStack.Istio;

/// <summary>
/// Istio's plug-in CA: one root for the whole mesh (so workloads in every cluster trust each other) and an
/// intermediate per cluster, signed by the root and handed to istiod as the Secret <c>cacerts</c> in
/// <c>istio-system</c>. istiod reads it only at start, so it must exist before istiod: without it istiod makes its
/// own self-signed CA and the clusters share no trust. Keys and shape follow Istio's own <c>tools/certs</c>
/// recipe (RSA 4096, O=Istio, intermediate L=&lt;cluster&gt; with SAN istiod.istio-system.svc).
/// </summary>
public sealed class IstioTrust(ResourceGraph graph)
{
    public const string SecretName = "cacerts";

    /// <summary>The graph the trust's certificates are made in.</summary>
    public ResourceGraph Graph => graph;

    private TlsCertificate? _root;

    /// <summary>The mesh's root CA, made on first use (one per stack, whatever the number of clusters).</summary>
    public TlsCertificate Root => _root ??= Certificates.Root(graph, "istio-root-ca", "Root CA", KeyAlgorithm.RSA, organization: "Istio");

    /// <summary>The intermediate CA istiod signs workload certificates with in <paramref name="cluster"/>.</summary>
    public TlsCertificate Intermediate(string cluster) => Certificates.Signed(graph, $"{cluster}-istio-ca", Root,
        new CertSubject { CommonName = "Intermediate CA", Organization = "Istio", Locality = cluster }, isCa: true,
        [KeyUsage.CertSigning, KeyUsage.CrlSigning, KeyUsage.DigitalSignature, KeyUsage.KeyEncipherment],
        Validity.IntermediateHours, Validity.IntermediateRenewHours,
        dnsNames: [$"istiod.{IstioMesh.SystemNamespace}.svc"], algorithm: KeyAlgorithm.RSA);

    /// <summary>The cluster's intermediate and the <c>cacerts</c> Secret holding it; istiod must depend on the result.</summary>
    public Resource AddTo(ClusterScope scope, Resource systemNamespace)
    {
        var ca = Intermediate(scope.Cluster.Name);
        return scope.Add("istio-cacerts", new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = SecretName, NamespaceProperty = IstioMesh.SystemNamespace },
            // stringData is schema-secret in the kubernetes provider: the key reference stays a secret
            StringData = new Dictionary<string, string>
            {
                ["ca-cert.pem"] = ca.CertPem,
                ["ca-key.pem"] = ca.Key.PrivateKeyPem,
                ["root-cert.pem"] = Root.CertPem,
                // PEM output ends with a newline, so plain concatenation is a valid chain: intermediate, then root
                ["cert-chain.pem"] = $"{ca.CertPem}{Root.CertPem}",
            },
        }, systemNamespace);
    }
}
