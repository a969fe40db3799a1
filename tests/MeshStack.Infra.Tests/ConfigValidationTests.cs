using MeshStack.Config;
using MeshStack.Tests.Support;

namespace MeshStack.Tests;

/// <summary>Bad stack config: exit code 2, every problem with its key path, nothing written.</summary>
public class ConfigValidationTests
{
    private const string Valid = """
        config:
          mesh-stack:mesh: istio
          mesh-stack:clusters:
            - name: east
              context: ctx-east
        """;

    public static TheoryData<string, string, string> Malformed => new()
    {
        {
            "cluster name with capitals",
            "config:\n  mesh-stack:clusters:\n    - name: East\n      context: c\n",
            "mesh-stack:clusters[0].name: \"East\" must match [a-z0-9-]+"
        },
        {
            "second cluster name invalid",
            "config:\n  mesh-stack:clusters:\n    - name: east\n      context: c\n    - name: we_st\n      context: d\n",
            "mesh-stack:clusters[1].name: \"we_st\" must match [a-z0-9-]+"
        },
        {
            "duplicate cluster names",
            "config:\n  mesh-stack:clusters:\n    - name: east\n      context: c\n    - name: east\n      context: d\n",
            "mesh-stack:clusters[1].name: \"east\" is already the name of clusters[0]"
        },
        {
            "cluster without context",
            "config:\n  mesh-stack:clusters:\n    - name: east\n",
            "mesh-stack:clusters[0].context: required"
        },
        {
            "no clusters",
            "config:\n  mesh-stack:mesh: istio\n",
            "mesh-stack:clusters: required"
        },
        {
            "unknown mesh",
            Valid.Replace("mesh-stack:mesh: istio", "mesh-stack:mesh: consul"),
            "mesh-stack:mesh: \"consul\" is not one of istio, linkerd"
        },
        {
            "unknown mtls mode",
            Valid + "\n  mesh-stack:mtls: strcit\n",
            "mesh-stack:mtls: \"strcit\" is not one of strict, permissive (did you mean \"strict\"?)"
        },
        {
            "typo in a top-level key",
            Valid + "\n  mesh-stack:mtsl: strict\n",
            "mesh-stack:mtsl: unknown key; did you mean mesh-stack:mtls?"
        },
        {
            "typo in a nested key",
            Valid + "\n  mesh-stack:images:\n    regsitry: ghcr.io/x\n    tag: \"1.0\"\n",
            "mesh-stack:images.regsitry: unknown key; did you mean mesh-stack:images.registry?"
        },
        {
            "unknown cluster field",
            "config:\n  mesh-stack:clusters:\n    - name: east\n      context: c\n      netwrok: n1\n",
            "mesh-stack:clusters[0].netwrok: unknown key; did you mean mesh-stack:clusters[0].network?"
        },
        {
            "edge certificate Secret that is not a Secret name",
            Valid + "\n  mesh-stack:traffic:\n    edge:\n      - host: api.example.com\n        service: api-gateway\n  mesh-stack:edgeTls:\n    secretName: Edge_TLS\n",
            "mesh-stack:edgeTls.secretName: \"Edge_TLS\" must match"
        },
        {
            "edge certificate without an edge",
            Valid + "\n  mesh-stack:edgeTls:\n    secretName: shop-cert\n",
            "mesh-stack:edgeTls: only used with traffic.edge"
        },
        {
            "typo in the edge certificate key",
            Valid + "\n  mesh-stack:traffic:\n    edge:\n      - host: api.example.com\n        service: api-gateway\n  mesh-stack:edgeTls:\n    secret: edge-tls\n",
            "mesh-stack:edgeTls.secret: unknown key; known keys: secretName"
        },
        {
            "sampling above 100",
            Valid + "\n  mesh-stack:tracing:\n    samplingPercent: 150\n",
            "mesh-stack:tracing.samplingPercent: 150 must be between 0 and 100"
        },
        {
            "replicas not a number",
            Valid + "\n  mesh-stack:replicas: three\n",
            "mesh-stack:replicas: must be a whole number, not \"three\""
        },
        {
            "replicas zero",
            Valid + "\n  mesh-stack:replicas: 0\n",
            "mesh-stack:replicas: 0 must be between 1 and 50"
        },
        {
            "image tag that YAML reads as a number",
            Valid + "\n  mesh-stack:images:\n    registry: ghcr.io/x\n    tag: 1.20\n",
            "mesh-stack:images.tag: 1.2 is a number; quote it so it stays a string"
        },
        {
            "clusters not a list",
            "config:\n  mesh-stack:clusters: east\n",
            "mesh-stack:clusters: must be a list, not \"east\""
        },
        {
            "chart repository not https",
            Valid + "\n  mesh-stack:charts:\n    istio:\n      repository: http://charts.example.com\n",
            "mesh-stack:charts.istio.repository: \"http://charts.example.com\" must match an https:// URL"
        },
        {
            "a second cluster without an API server address",
            "config:\n  mesh-stack:clusters:\n    - name: east\n      context: c\n      server: https://east.example.com\n    - name: west\n      context: d\n",
            "mesh-stack:clusters[1].server: required with more than one cluster"
        },
        {
            "a loopback API server address",
            "config:\n  mesh-stack:clusters:\n    - name: east\n      context: c\n      server: https://127.0.0.1:6443\n",
            "mesh-stack:clusters[0].server: \"https://127.0.0.1:6443\" is a loopback address"
        },
        {
            "failover to an unknown cluster",
            "config:\n  mesh-stack:clusters:\n    - name: east\n      context: c\n      failover: [north]\n",
            "mesh-stack:clusters[0].failover[0]: \"north\" is not another cluster of this stack"
        },
        {
            "an unknown export mode",
            "config:\n  mesh-stack:clusters:\n    - name: east\n      context: c\n      export: flat\n",
            "mesh-stack:clusters[0].export: \"flat\" is not one of gateway, remote-discovery"
        },
        {
            "key without the project namespace",
            Valid + "\n  mesh: istio\n",
            "mesh: config keys are namespaced; write mesh-stack:mesh"
        },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Render_rejects_bad_config_with_exit_2_the_key_path_and_no_output(string why, string yaml, string expected)
    {
        Rejection.AssertRenderRejects(why, yaml, expected);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var e = Assert.Throws<ConfigException>(() => Stacks.ConfigFromYaml("""
            config:
              mesh-stack:mesh: consul
              mesh-stack:mtsl: strict
              mesh-stack:clusters:
                - name: East
                  context: c
                  server: https://east.example.com:6443
                - context: d
                  server: https://127.0.0.1:6443
            """));
        Assert.Equal(
            ["mesh-stack:mesh", "mesh-stack:clusters[0].name", "mesh-stack:clusters[1].name", "mesh-stack:clusters[1].server", "mesh-stack:mtsl"],
            e.Problems.Select(p => p.Path));
    }

    [Fact]
    public void The_program_verb_fails_with_exit_2_on_bad_engine_config()
    {
        var env = new Dictionary<string, string>
        {
            ["PULUMI_STACK"] = "broken",
            ["PULUMI_CONFIG"] = """{"mesh-stack:clusters":"[{\"name\":\"East\",\"context\":\"c\"}]","mesh-stack:mesh":"consul"}""",
        };
        var result = InProcess.Run(Repo.Root, env, "program");
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains("mesh-stack:clusters[0].name: \"East\" must match [a-z0-9-]+", result.Stderr);
        Assert.Contains("mesh-stack:mesh: \"consul\"", result.Stderr);
    }

    [Fact]
    public void A_failed_render_leaves_the_previous_render_untouched()
    {
        var dir = Repo.TempDir();
        var good = Path.Combine(dir, "Pulumi.s.yaml");
        File.WriteAllText(good, Valid);
        var outDir = Path.Combine(dir, "out");
        Assert.Equal(0, InProcess.Run(dir, null, "render", "--config", good, "--out", outDir).ExitCode);
        var before = File.ReadAllText(Path.Combine(outDir, "Main.yaml"));

        File.WriteAllText(good, Valid.Replace("name: east", "name: EAST"));
        Assert.Equal(2, InProcess.Run(dir, null, "render", "--config", good, "--out", outDir).ExitCode);

        Assert.Equal(before, File.ReadAllText(Path.Combine(outDir, "Main.yaml")));
        Assert.Equal(["Pulumi.s.yaml", "out"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Structured_values_from_the_engine_bind_like_the_stack_file()
    {
        var fromFile = Stacks.Config("prod");
        var engine = EngineConfig.FromStackFile(Repo.StackFile("prod"));
        var fromEngine = StackConfigBinder.Bind("prod", RawConfig.FromEngineJson(engine), EcommerceApp.Declare());
        Assert.Equal(Scalars(fromFile), Scalars(fromEngine));
        Assert.Equal(fromFile.Clusters, fromEngine.Clusters);
        // collections compare by content, not by reference
        Assert.NotNull(fromFile.Jwt);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(fromFile.Jwt), System.Text.Json.JsonSerializer.Serialize(fromEngine.Jwt));
        Assert.Equal(fromFile.MtlsOverrides, fromEngine.MtlsOverrides);
        Assert.Equal(fromFile.Policy.Warn.Order(), fromEngine.Policy.Warn.Order());
    }

    private static readonly Dictionary<string, MtlsMode> NoOverrides = [];

    private static readonly MeshStack.Topology.AppTopology HostApp = EcommerceApp.Declare();

    private static StackConfig Scalars(StackConfig c) => c with
    {
        // the application is the host's, handed to both binds, not read from either source
        App = HostApp,
        Clusters = [],
        Jwt = null,
        MtlsOverrides = NoOverrides,
        Policy = MeshStack.Security.PolicyConfig.Default,
    };
}
