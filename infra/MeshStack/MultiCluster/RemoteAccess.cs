using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Kubernetes;

namespace MeshStack.MultiCluster;

/// <summary>
/// How the other clusters read one cluster's API: a ServiceAccount's token from a
/// <c>kubernetes.io/service-account-token</c> Secret in that cluster, which Pulumi waits for until the token
/// controller has filled it, and the cluster's CA from the same Secret. <see cref="Kubeconfig"/> turns them, with the
/// <c>server</c> from config, into the kubeconfig that <c>istioctl create-remote-secret</c> and
/// <c>linkerd multicluster link-gen</c> would write. The token stays a secret output all the way: it is decoded by a
/// program variable wrapped in <c>fn::secret</c> and only ever lands in Secrets' <c>stringData</c> (schema-secret).
/// </summary>
public sealed record RemoteAccess(ClusterConfig Cluster, Resource TokenSecret, VariableRef Token)
{
    /// <summary>The Secret annotation the token controller reads to bind a token to its ServiceAccount.</summary>
    public const string ServiceAccountAnnotation = "kubernetes.io/service-account.name";
    public const string TokenSecretType = "kubernetes.io/service-account-token";

    /// <summary>The cluster's CA bundle, already base64 as a kubeconfig's <c>certificate-authority-data</c> wants it.</summary>
    public OutputRef CertificateAuthorityData => TokenSecret.Output("data[\"ca.crt\"]");

    /// <summary>
    /// In <paramref name="scope"/>'s cluster: a token Secret for <paramref name="serviceAccount"/>, made once
    /// <paramref name="serviceAccountOwner"/> (the release that creates the ServiceAccount) exists.
    /// </summary>
    public static RemoteAccess Create(ClusterScope scope, string suffix, string ns, string serviceAccount, string secretName, Resource serviceAccountOwner)
    {
        var secret = scope.Add(suffix, new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = secretName,
                NamespaceProperty = ns,
                Annotations = new Dictionary<string, string>
                {
                    [ServiceAccountAnnotation] = serviceAccount,
                    // the token controller fills data.token and data["ca.crt"] after creation: wait for it
                    ["pulumi.com/waitFor"] = "jsonpath={.data.token}",
                },
            },
            Type = TokenSecretType,
        }, serviceAccountOwner);
        var token = scope.Graph.AddVariable(scope.Name($"{suffix}-value"), new JsonObject
        {
            // Secret data is schema-secret already; the wrapper makes sure the decoded text cannot lose that
            ["fn::secret"] = new JsonObject { ["fn::fromBase64"] = secret.Output("data.token").ToString() },
        });
        return new RemoteAccess(scope.Cluster, secret, token);
    }

    /// <summary>A kubeconfig with one cluster, user and context, all named after the cluster, using the bearer token.</summary>
    public string Kubeconfig()
    {
        var name = Cluster.Name;
        var server = Cluster.Server ?? throw new InvalidOperationException(
            $"cluster '{name}' has no server: config validation requires one whenever the stack has more than one cluster");
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - cluster:
                certificate-authority-data: {CertificateAuthorityData}
                server: {server}
              name: {name}
            contexts:
            - context:
                cluster: {name}
                user: {name}
              name: {name}
            current-context: {name}
            preferences: {"{}"}
            users:
            - name: {name}
              user:
                token: {Token}

            """;
    }
}
