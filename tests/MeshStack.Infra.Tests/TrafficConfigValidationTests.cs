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
            "edge host routed to an internal service",
            Istio + "    edge:\n      - host: orders.example.com\n        service: order\n",
            "mesh-stack:traffic.edge[0].service: order is internal to the app; the edge routes only to its public services (api-gateway, frontend)"
        },
        {
            "consistent hash without a header",
            Istio + "    services:\n      frontend:\n        loadBalancer: consistent-hash\n",
            "mesh-stack:traffic.services.frontend.hashHeader: required with loadBalancer: consistent-hash"
        },
        {
            "automated canary with a fixed weight",
            Linkerd + "    canary:\n      service: order\n      weight: 10\n      automated: true\n",
            "mesh-stack:traffic.canary.weight: not used with automated: true: Flagger sets the weight"
        },
        {
            "automated canary for a service that does not exist",
            Linkerd + "    canary:\n      service: orders\n      automated: true\n",
            "mesh-stack:traffic.canary.service: \"orders\" is not a service of the app (api-gateway, order, inventory, payment, frontend); did you mean \"order\"?"
        },
        {
            "analysis on a static canary",
            Istio + "    canary:\n      service: order\n      weight: 10\n      analysis:\n        interval: 1m\n",
            "mesh-stack:traffic.canary.analysis: only used with automated: true"
        },
        {
            "step weight above the maximum weight",
            Istio + "    canary:\n      service: order\n      automated: true\n      analysis:\n        stepWeight: 60\n        maxWeight: 50\n",
            "mesh-stack:traffic.canary.analysis.stepWeight: 60 is above maxWeight 50"
        },
        {
            "max weight above 100",
            Istio + "    canary:\n      service: order\n      automated: true\n      analysis:\n        maxWeight: 120\n",
            "mesh-stack:traffic.canary.analysis.maxWeight: 120 must be between 1 and 100"
        },
        {
            "analysis interval that is not a duration",
            Linkerd + "    canary:\n      service: order\n      automated: true\n      analysis:\n        interval: hourly\n",
            "mesh-stack:traffic.canary.analysis.interval: \"hourly\" must be a duration such as 500ms, 5s or 2m, from 10s to 60m"
        },
        {
            "step weight on an A/B test (automated canary with a header)",
            Istio + "    canary:\n      service: order\n      automated: true\n      header:\n        name: x-canary-user\n        value: internal\n      analysis:\n        stepWeight: 10\n",
            "mesh-stack:traffic.canary.analysis.stepWeight: not used with a header: the canary is then an A/B test"
        },
        {
            "iterations without a header",
            Linkerd + "    canary:\n      service: order\n      automated: true\n      analysis:\n        iterations: 5\n",
            "mesh-stack:traffic.canary.analysis.iterations: only used with a header (an A/B test)"
        },
        {
            "misspelt analysis key",
            Linkerd + "    canary:\n      service: order\n      automated: true\n      analysis:\n        treshold: 5\n",
            "mesh-stack:traffic.canary.analysis.treshold: unknown key"
        },
        {
            "fault drill on the service Flagger delivers",
            Istio + "    canary:\n      service: order\n      automated: true\n    faults:\n      - service: order\n        percent: 5\n        abortStatus: 503\n",
            "mesh-stack:traffic.faults[0].service: order has an automated canary: Flagger owns its routes"
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
        Rejection.AssertRenderRejects(why, yaml, expected);
    }
}
