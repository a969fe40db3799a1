using MeshStack.Graph;

namespace MeshStack.Pki;

/// <summary>A private key made by the tls provider; its PEM never leaves Pulumi's secret outputs.</summary>
public sealed record TlsKey(Resource Resource)
{
    public OutputRef PrivateKeyPem => Resource.Output("privateKeyPem");
}

/// <summary>A certificate and the key it certifies.</summary>
public sealed record TlsCertificate(Resource Resource, TlsKey Key)
{
    public OutputRef CertPem => Resource.Output("certPem");
}

/// <summary>Validity choices in one place: long-lived roots, shorter intermediates renewed well before expiry.</summary>
public static class Validity
{
    public const int RootHours = 87_600;          // 10 years: rotating a root is disruptive
    public const int IntermediateHours = 8_760;   // 1 year
    public const int IntermediateRenewHours = 1_440; // 60 days early: the window `linkerd check` warns about
    public const int WebhookHours = 8_760;
    public const int WebhookRenewHours = 720;
}

/// <summary>Small builders for certificate authorities and the certificates they sign.</summary>
public static class Certificates
{
    public static TlsKey Key(ResourceGraph graph, string name, KeyAlgorithm algorithm = KeyAlgorithm.ECDSA) =>
        new(graph.Add(name, TypeTokens.TlsPrivateKey,
            algorithm == KeyAlgorithm.ECDSA ? new PrivateKeyArgs(algorithm, EcdsaCurve.P256) : new PrivateKeyArgs(algorithm, RsaBits: 4096)));

    /// <summary>A self-signed root CA.</summary>
    public static TlsCertificate Root(ResourceGraph graph, string name, string commonName, KeyAlgorithm algorithm = KeyAlgorithm.ECDSA, string? organization = null)
    {
        var key = Key(graph, $"{name}-key", algorithm);
        var cert = graph.Add($"{name}-cert", TypeTokens.TlsSelfSignedCert, new SelfSignedCertArgs
        {
            PrivateKeyPem = key.PrivateKeyPem,
            Subject = new CertSubject { CommonName = commonName, Organization = organization },
            ValidityPeriodHours = Validity.RootHours,
            IsCaCertificate = true,
            AllowedUses = [KeyUsage.CertSigning, KeyUsage.CrlSigning, KeyUsage.DigitalSignature],
        });
        return new TlsCertificate(cert, key);
    }

    /// <summary>A certificate signed by <paramref name="issuer"/>: an intermediate CA or a serving certificate.</summary>
    public static TlsCertificate Signed(
        ResourceGraph graph, string name, TlsCertificate issuer, CertSubject subject, bool isCa,
        IReadOnlyList<KeyUsage> uses, int validityHours, int earlyRenewalHours,
        IReadOnlyList<string>? dnsNames = null, KeyAlgorithm algorithm = KeyAlgorithm.ECDSA)
    {
        var key = Key(graph, $"{name}-key", algorithm);
        var csr = graph.Add($"{name}-csr", TypeTokens.TlsCertRequest, new CertRequestArgs
        {
            PrivateKeyPem = key.PrivateKeyPem,
            Subject = subject,
            DnsNames = dnsNames,
        });
        var cert = graph.Add($"{name}-cert", TypeTokens.TlsLocallySignedCert, new LocallySignedCertArgs
        {
            CertRequestPem = csr.Output("certRequestPem"),
            CaPrivateKeyPem = issuer.Key.PrivateKeyPem,
            CaCertPem = issuer.CertPem,
            ValidityPeriodHours = validityHours,
            EarlyRenewalHours = earlyRenewalHours,
            IsCaCertificate = isCa,
            AllowedUses = uses,
        });
        return new TlsCertificate(cert, key);
    }
}
