using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Graph;

namespace MeshStack.Kubernetes;

/// <summary>Helm releases of pinned charts.</summary>
public static class HelmCharts
{
    /// <summary>
    /// A release with its name, chart version and repository always set: without a name Pulumi would autoname the
    /// release with a random suffix, and without a version every preview could pick up a new chart.
    /// </summary>
    public static HelmReleaseArgs Release(this ChartPin pin, string name, string chart, string ns, JsonObject values) => new()
    {
        Name = name,
        Chart = chart,
        Version = pin.Version,
        Namespace = ns,
        RepositoryOpts = new HelmRepositoryOpts(pin.Repository),
        Values = values,
    };
}
