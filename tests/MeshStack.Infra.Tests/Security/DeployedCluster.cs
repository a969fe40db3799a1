using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MeshStack.Analysis.Simulation;
using MeshStack.Config;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Security;

/// <summary>
/// One cluster of a corpus stack as a client meets it once deployed: its rendered objects, read back from the
/// manifests, judged by the mesh's own authorization semantics (<see cref="IstioAuthorizer"/>, <see cref="LinkerdAuthorizer"/>).
/// </summary>
public sealed class DeployedCluster
{
    private static readonly ConcurrentDictionary<string, IReadOnlyList<DeployedCluster>> Cache = new(StringComparer.Ordinal);

    public string Stack { get; }
    public StackConfig Config { get; }
    public string Name { get; }
    public IReadOnlyList<JsonObject> Objects { get; }
    /// <summary>The whole stack's Pulumi program (Helm releases and their values).</summary>
    public JsonObject Program { get; }
    private readonly IstioAuthorizer _istio;
    private readonly LinkerdAuthorizer _linkerd;

    private DeployedCluster(string stack, StackConfig config, string name, IReadOnlyList<JsonObject> objects, JsonObject program)
    {
        (Stack, Config, Name, Objects, Program) = (stack, config, name, objects, program);
        _istio = new IstioAuthorizer(objects);
        _linkerd = new LinkerdAuthorizer(objects);
    }

    public override string ToString() => $"{Stack}/{Name}";

    public bool IsIstio => Config.Mesh == MeshKind.Istio;

    /// <summary>Every cluster of a corpus stack.</summary>
    public static IReadOnlyList<DeployedCluster> Of(string corpusName) => Cache.GetOrAdd(corpusName, name =>
        Clusters(name, Stacks.ConfigFromYaml(StackCorpus.Get(name).Yaml), CorpusRender.Of(name)));

    /// <summary>Every cluster of a corpus stack with its stack file changed by <paramref name="edit"/>, named <paramref name="variant"/>.</summary>
    public static IReadOnlyList<DeployedCluster> Variant(string corpusName, string variant, Func<string, string> edit) =>
        Cache.GetOrAdd($"{corpusName}+{variant}", name =>
        {
            var entry = StackCorpus.Get(corpusName) with { Name = name, Yaml = edit(StackCorpus.Get(corpusName).Yaml) };
            return Clusters(name, Stacks.ConfigFromYaml(entry.Yaml), CorpusRender.Emit(entry));
        });

    private static List<DeployedCluster> Clusters(string name, StackConfig config, Output.EmittedStack emitted) =>
        config.Clusters.Select(c => new DeployedCluster(name, config, c.Name,
            emitted.Manifests.Where(m => m.Cluster == c.Name).Select(m => m.Parse()).ToList(), emitted.Program)).ToList();

    /// <summary>The same cluster with its objects or program changed: seeded faults.</summary>
    public DeployedCluster With(IReadOnlyList<JsonObject>? objects = null, JsonObject? program = null) =>
        new(Stack, Config, Name, objects ?? Objects, program ?? Program);

    /// <summary>The values of this cluster's Helm release <paramref name="release"/>, or null without one.</summary>
    public JsonObject? HelmValues(string release) =>
        Program["resources"]![$"{Name}-{release}"]?["properties"]?["values"] as JsonObject;

    /// <summary>The mesh identity of a workload's ServiceAccount, as the callee's proxy sees it.</summary>
    public string Identity(string ns, string serviceAccount) => IsIstio
        ? $"cluster.local/ns/{ns}/sa/{serviceAccount}"
        : $"{serviceAccount}.{ns}.serviceaccount.identity.linkerd.cluster.local";

    /// <summary>The ingress's identity on this mesh: the istio-ingress gateway, or Linkerd's meshed Traefik.</summary>
    public string IngressIdentity => IsIstio ? Identity("istio-ingress", "istio-ingress") : Identity("edge", "traefik");

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => o["kind"]!.GetValue<string>() == kind);

    public static string NameOf(JsonObject o) => o["metadata"]!["name"]!.GetValue<string>();

    /// <summary>The pod labels of a service's Deployment, or null where it does not run.</summary>
    public IReadOnlyDictionary<string, string>? PodLabels(string service) =>
        OfKind("Deployment").FirstOrDefault(d => NameOf(d) == service && d["metadata"]!["namespace"]!.GetValue<string>() == "ecommerce")
            ?["spec"]!["template"]!["metadata"]!["labels"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

    /// <summary>
    /// Whether the service's pods accept the request on their app port. <paramref name="principal"/> null is an
    /// unmeshed (plaintext) client. The request carries a valid end-user token with role <c>user</c>: JWT has its own tests.
    /// </summary>
    public bool Allows(string? principal, string service, string method, string path)
    {
        var labels = PodLabels(service) ?? throw new ArgumentException($"{service} does not run in {this}", nameof(service));
        var request = new InboundRequest(principal, method, path, "https://auth.example.com//alice", new Dictionary<string, string> { ["role"] = "user" });
        return IsIstio ? _istio.Allows("ecommerce", labels, request) : _linkerd.Allows("ecommerce", labels, "http", request);
    }
}
