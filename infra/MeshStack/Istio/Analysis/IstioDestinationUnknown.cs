using MeshStack.Analysis;

namespace MeshStack.Istio.Analysis;

/// <summary>A VirtualService destination must be a Service (and port) of the cluster; otherwise Envoy has no cluster for it (503 NR/UH).</summary>
public sealed class IstioDestinationUnknown : AnalysisRule
{
    public override string Id => "MS104";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a VirtualService destination host or port resolves to no Service in the cluster";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var vs in model.OfKind("networking.istio.io", "VirtualService"))
        {
            var destinations = new[] { "http", "tcp", "tls" }.SelectMany(k => Json.Objects(vs.Spec?[k]))
                .SelectMany(r => Json.Objects(r["route"])).Select(r => r["destination"]).OfType<System.Text.Json.Nodes.JsonObject>();
            foreach (var d in destinations)
            {
                var host = Json.Str(d["host"]) ?? "";
                if (ServiceResolver.Parse(host, vs.Namespace ?? "default") is not { } target) continue;
                var service = ServiceResolver.Find(model, vs.Cluster, target.Name, target.Namespace);
                if (service is null)
                    yield return At(vs, $"destination host {host} is no Service in cluster {vs.Cluster}", "route to a Service that is rendered in this cluster");
                else if (Json.Int(d["port"]?["number"]) is { } port && !ServiceResolver.Ports(service).Contains(port))
                    yield return At(vs, $"destination {host}:{port} is not a port of Service {target.Namespace}/{target.Name} ({string.Join(", ", ServiceResolver.Ports(service))})",
                        "use one of the Service's ports");
            }
        }
    }
}
