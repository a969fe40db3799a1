namespace MeshStack.Analysis.Rules.Reachability;

/// <summary>A named targetPort must be a container port name of every selected pod, or the endpoint has no port.</summary>
public sealed class ServiceTargetPortMissing : AnalysisRule
{
    public override string Id => "MS102";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a Service's named targetPort is not a container port of the pods it selects";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var s in model.OfKind("", "Service"))
        {
            if (!ServiceResolver.HasSelector(s)) continue;
            var pods = model.PodsSelectedBy(s.Cluster, s.Namespace, s.Spec!["selector"]!.AsObject()).ToList();
            foreach (var port in Json.Objects(s.Spec["ports"]))
            {
                if (Json.Str(port["targetPort"]) is not { } name) continue;
                foreach (var pod in pods.Where(p => !p.Containers.SelectMany(c => Json.Objects(c["ports"])).Any(cp => Json.Str(cp["name"]) == name)))
                    yield return At(s, $"targetPort '{name}' is not a container port of {pod.Owner.Kind} {pod.Owner.Name}",
                        "name the container port the same as the Service's targetPort");
            }
        }
    }
}
