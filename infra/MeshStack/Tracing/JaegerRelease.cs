using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Graph;

namespace MeshStack.Tracing;

/// <summary>
/// Jaeger v2 from the 4.x chart: one all-in-one Deployment with in-memory storage and OTLP on 4317, which is
/// what a demo stack needs. Only v2 values apply to this chart; the v1 ones (allInOne, agent, ...) are ignored silently.
/// </summary>
public static class JaegerRelease
{
    public static HelmReleaseArgs Args(StackConfig config) => new()
    {
        // the chart names its Service after the release: keep the two equal to JaegerEndpoint.Service
        Name = JaegerEndpoint.Release,
        Chart = "jaeger",
        Version = config.Charts.Jaeger.Version,
        Namespace = CollectorEndpoint.Namespace,
        RepositoryOpts = new HelmRepositoryOpts(config.Charts.Jaeger.Repository),
        Values = new JsonObject { ["fullnameOverride"] = JaegerEndpoint.Service },
    };
}
