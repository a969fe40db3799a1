namespace MeshStack.Analysis.Rules.Reachability;

/// <summary>A probe on a named port the container does not declare never succeeds: the pod never becomes ready.</summary>
public sealed class ProbePortUndeclared : AnalysisRule
{
    public override string Id => "MS107";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a container probe uses a named port the container does not declare";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var pod in model.Pods)
        foreach (var c in pod.Containers)
        {
            var names = Json.Objects(c["ports"]).Select(p => Json.Str(p["name"])).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
            {
                var port = c[probe]?["httpGet"]?["port"] ?? c[probe]?["tcpSocket"]?["port"] ?? c[probe]?["grpc"]?["port"];
                if (Json.Str(port) is { } name && !int.TryParse(name, out _) && !names.Contains(name))
                    yield return At(pod.Owner, $"container '{Security.Policy.WorkloadPod.NameOf(c)}' {probe} uses port '{name}', which it does not declare", "declare the port on the container or probe a declared one");
            }
        }
    }
}
