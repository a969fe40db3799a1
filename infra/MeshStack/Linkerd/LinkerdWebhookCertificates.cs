using System.Text.Json.Nodes;
using MeshStack.Graph;
using MeshStack.Pki;

namespace MeshStack.Linkerd;

/// <summary>
/// Serving certificates for Linkerd's admission webhooks. Without them the chart generates new ones on
/// every render, so every preview shows changed Secrets and caBundles and every update restarts the webhooks.
/// </summary>
public static class LinkerdWebhookCertificates
{
    /// <summary>Helm value prefix and Service name of each webhook.</summary>
    private static readonly (string ValuesKey, string Service)[] Webhooks =
    [
        ("proxyInjector", "linkerd-proxy-injector"),
        ("profileValidator", "linkerd-sp-validator"),
        ("policyValidator", "linkerd-policy-validator"),
    ];

    /// <summary>Adds the certificates and writes <c>crtPEM</c>, <c>keyPEM</c> and <c>caBundle</c> for each webhook into <paramref name="values"/>.</summary>
    public static void AddTo(ResourceGraph graph, string cluster, string controlPlaneNamespace, JsonObject values) =>
        AddTo(graph, $"{cluster}-linkerd-webhook-ca", cluster, controlPlaneNamespace, Webhooks, values);

    /// <summary>The same for an extension's webhooks (e.g. linkerd-viz's tap and tap-injector), under their own CA.</summary>
    public static void AddTo(ResourceGraph graph, string caName, string cluster, string ns,
        IReadOnlyList<(string ValuesKey, string Service)> webhooks, JsonObject values)
    {
        var ca = Certificates.Root(graph, caName, "webhook.linkerd.cluster.local");
        foreach (var (key, service) in webhooks)
        {
            var host = $"{service}.{ns}.svc";
            var cert = Certificates.Signed(graph, $"{cluster}-{service}", ca, new CertSubject { CommonName = host }, isCa: false,
                [KeyUsage.DigitalSignature, KeyUsage.KeyEncipherment, KeyUsage.ServerAuth],
                Validity.WebhookHours, Validity.WebhookRenewHours, dnsNames: [host]);
            values[key] = new JsonObject
            {
                ["crtPEM"] = cert.CertPem.ToString(),
                ["keyPEM"] = cert.Key.PrivateKeyPem.ToString(),
                // the API server verifies the webhook against this CA, not against the serving cert
                ["caBundle"] = ca.CertPem.ToString(),
            };
        }
    }
}
