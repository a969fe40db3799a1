using MeshStack.Tests.Support;

namespace MeshStack.Tests;

/// <summary>Bad <c>mesh-stack:traffic</c>: exit code 2, the key path named, nothing written.</summary>
public class TrafficConfigValidationTests
{
    private const string Istio = """
        config:
          mesh-stack:mesh: istio
          mesh-stack:clusters:
            - name: east
              context: ctx-east
          mesh-stack:traffic:

        """;

    private const string Linkerd = """
        config:
          mesh-stack:mesh: linkerd
          mesh-stack:clusters:
            - name: dev
              context: ctx-dev
          mesh-stack:traffic:

        """;

    public static TheoryData<string, string, string> Malformed => new()
    {
        {
            "canary weight above 100",
            Istio + "    canary:\n      service: order\n      weight: 150\n",
            "mesh-stack:traffic.canary.weight: 150 must be between 0 and 100"
        },
        {
            "canary weight below 0",
            Istio + "    canary:\n      service: order\n      weight: -5\n",
            "mesh-stack:traffic.canary.weight: -5 must be between 0 and 100"
        },
        {
            "canary for a service that does not exist",
            Istio + "    canary:\n      service: shipping\n      weight: 10\n",
            "mesh-stack:traffic.canary.service: \"shipping\" is not a service of the app"
        },
        {
            "canary without a weight",
            Istio + "    canary:\n      service: order\n",
            "mesh-stack:traffic.canary.weight: required"
        },
        {
            "retries requested on a non-idempotent route",
            Istio + "    routes:\n      order/create-order:\n        retries: 2\n",
            "mesh-stack:traffic.routes.order/create-order.retries: route order/create-order (POST /orders) is not idempotent"
        },
        {
            "override for a route that does not exist",
            Istio + "    routes:\n      order/delete-order:\n        timeout: 2s\n",
            "mesh-stack:traffic.routes.order/delete-order: no route \"order/delete-order\""
        },
        {
            "timeout that is not a duration",
            Istio + "    routes:\n      order/get-order:\n        timeout: soon\n",
            "mesh-stack:traffic.routes.order/get-order.timeout: \"soon\" must be a duration"
        },
        {
            "fault drill percentage out of range",
            Istio + "    faults:\n      - service: payment\n        percent: 0\n        abortStatus: 503\n",
            "mesh-stack:traffic.faults[0].percent: 0 must be between 1 and 100"
        },
        {
            "fault drill with both delay and abort",
            Istio + "    faults:\n      - service: payment\n        percent: 5\n        delay: 2s\n        abortStatus: 503\n",
            "mesh-stack:traffic.faults[0].abortStatus: a drill is either a delay or an abortStatus"
        },
        {
            "delay drill with Linkerd",
            Linkerd + "    faults:\n      - service: payment\n        percent: 5\n        delay: 2s\n",
            "mesh-stack:traffic.faults[0].delay: Linkerd cannot inject delays"
        },
        {
            "edge host served by an unknown service",
            Istio + "    edge:\n      - host: api.example.com\n        service: gateway\n",
            "mesh-stack:traffic.edge[0].service: \"gateway\" is not a service of the app"
        },
        {
            "consistent hash without a header",
            Istio + "    services:\n      frontend:\n        loadBalancer: consistent-hash\n",
            "mesh-stack:traffic.services.frontend.hashHeader: required with loadBalancer: consistent-hash"
        },
        {
            "automated canary before Flagger is supported",
            Linkerd + "    canary:\n      service: order\n      weight: 0\n      automated: true\n",
            "mesh-stack:traffic.canary.automated: automated canaries (Flagger) are not supported yet"
        },
        {
            "misspelt traffic key",
            Istio + "    canaries:\n      service: order\n",
            "mesh-stack:traffic.canaries: unknown key; known keys: canary, edge, faults, routes, services"
        },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Render_rejects_bad_traffic_config_with_exit_2_and_the_key_path(string why, string yaml, string expected)
    {
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, "Pulumi.bad.yaml");
        File.WriteAllText(file, yaml);
        var outDir = Path.Combine(dir, "out");

        var result = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);

        Assert.True(result.ExitCode == 2, $"{why}: exit {result.ExitCode}\n{result.Stderr}");
        Assert.Contains(expected, result.Stderr);
        Assert.Empty(result.Stdout);
        Assert.False(Directory.Exists(outDir), $"{why}: render wrote {outDir}");
    }
}
