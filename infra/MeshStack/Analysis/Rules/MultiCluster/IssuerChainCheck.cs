namespace MeshStack.Analysis.Rules.MultiCluster;

/// <summary>
/// Follows a cluster's issuer through the program's tls resources, as the mesh will verify the certificates they make:
/// the intermediate must be a <c>LocallySignedCert</c> whose <c>caCertPem</c> and <c>caPrivateKeyPem</c> are the shared
/// root's certificate and key, a CA (<c>is_ca_certificate</c>) allowed to sign (<c>cert_signing</c>), handed over with its
/// own key, and (Istio) with a chain of itself then the root.
/// Upstream: istiod verifies cacerts' ca-cert.pem through cert-chain.pem up to root-cert.pem and checks that ca-key.pem
/// matches it (istio security/pkg/pki/util/keycertbundle.go 330-362), and refuses a signing certificate that is not a
/// CA (security/pkg/pki/ca/ca.go 298-325), release-1.31; its own CA certificates carry cert-sign key usage
/// (security/pkg/pki/util/generate_cert.go 297-299). Linkerd's identity controller verifies the issuer against the trust
/// anchors and refuses one that is not a CA (linkerd2 pkg/identity/service.go 125-142; the same in
/// pkg/issuercerts/issuercerts.go 222-233 for `linkerd check`), and its CAs carry cert-sign key usage (pkg/tls/ca.go 124,
/// 173), edge-26.8.3. A value that is literal PEM rather than a reference to the program is not judged here.
/// </summary>
public static class IssuerChainCheck
{
    public static IEnumerable<string> Problems(RenderModel model, IssuerChain raw, string? rawSharedRoot)
    {
        var chain = raw with
        {
            Root = OutputReference.Text(raw.Root), Cert = OutputReference.Text(raw.Cert),
            Key = OutputReference.Text(raw.Key), CertChain = OutputReference.Text(raw.CertChain),
        };
        var sharedRoot = OutputReference.Text(rawSharedRoot);
        var keys = chain.Keys;
        if (OutputReference.Single(chain.Cert) is not { } certRef) yield break;
        var intermediate = model.TlsResource(certRef.Resource);
        if (intermediate is null)
        {
            yield return $"{keys.Cert} references {chain.Cert}, which the program does not make: the issuer has no certificate";
            yield break;
        }
        var rootRef = OutputReference.Single(sharedRoot);
        var root = model.TlsResource(rootRef?.Resource);
        if (root is not null && !(root.IsCertificateAuthority && root.MaySign))
            yield return $"the root {sharedRoot} is not a CA allowed to sign (is_ca_certificate, cert_signing): nothing it signs verifies";

        var signedBy = OutputReference.Text(Json.Str(intermediate.Properties["caCertPem"]));
        if (signedBy is null)
            yield return $"{keys.Cert} is {intermediate.Name}, a self-signed certificate: it chains to no root the other clusters trust";
        else if (rootRef is not null && OutputReference.Single(signedBy) != rootRef)
            yield return $"{keys.Cert} is {intermediate.Name}, signed by {signedBy}, not by the root the clusters trust ({sharedRoot}): the mesh refuses the issuer";
        else if (root is not null && OutputReference.Text(Json.Str(intermediate.Properties["caPrivateKeyPem"])) is { } signingKey
                 && OutputReference.Text(Json.Str(root.Properties["privateKeyPem"])) is { } rootKey && signingKey != rootKey)
            yield return $"{keys.Cert} is {intermediate.Name}, signed with {signingKey}, not the root's key {rootKey}: its signature does not verify against the root";

        if (!intermediate.IsCertificateAuthority)
            yield return $"{keys.Cert} is {intermediate.Name}, which is not a CA (is_ca_certificate is not true): the mesh refuses it as an issuer";
        if (!intermediate.MaySign)
            yield return $"{keys.Cert} is {intermediate.Name}, whose allowed uses lack cert_signing: the workload certificates it signs do not verify";

        // the key handed over must be the one the intermediate's request was made with
        var request = model.TlsResource(OutputReference.Single(Json.Str(intermediate.Properties["certRequestPem"]))?.Resource);
        if (request is not null && OutputReference.Text(Json.Str(request.Properties["privateKeyPem"])) is { } ownKey && chain.Key is not null && chain.Key != ownKey)
            yield return $"{keys.Key} is {chain.Key}, not the key of {intermediate.Name} ({ownKey}): the certificate does not match the key";

        if (keys.CertChain is not null && chain.CertChain is not null)
        {
            var links = OutputReference.All(chain.CertChain);
            if (links.Count > 0 && (links[0] != certRef || (rootRef is not null && links[^1] != rootRef)))
                yield return $"{keys.CertChain} is {chain.CertChain}, not {chain.Cert} followed by the root {sharedRoot}: the chain does not lead to the root";
        }
    }
}
