namespace MeshStack.Analysis.Rules.Traffic;

/// <summary>
/// When the mesh retries a service's calls and the service's own client retries too, attempts multiply (3 app tries x
/// 3 mesh tries = 9 requests to a failing callee). The services read <c>Resilience__AppRetries</c>; it must be false
/// wherever the mesh retries the routes the service calls.
/// </summary>
public sealed class AppAndMeshRetries : AnalysisRule
{
    public override string Id => "MS306";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a service retries in the app while the mesh retries the calls it makes";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var pod in model.Pods)
        {
            if (Simulation.MeshRoutes.ServiceOf(model, pod) is not { } caller) continue;
            var appRetries = pod.Containers.SelectMany(c => Json.Objects(c["env"])).FirstOrDefault(e => Json.Str(e["name"]) == "Resilience__AppRetries");
            if (appRetries is null || Json.Str(appRetries["value"]) == "false") continue;
            var callees = model.Topology.Calls.Where(c => c.From == caller).Select(c => c.To.Name).ToList();
            var retried = callees.Where(callee => model.Mesh.Retries(model, pod.Owner.Cluster, callee)).ToList();
            if (retried.Count > 0)
                yield return At(pod.Owner, $"the app retries (Resilience__AppRetries={Json.Str(appRetries["value"])}) and the mesh retries its calls to {string.Join(", ", retried)}: attempts multiply",
                    "set Resilience__AppRetries=false where the mesh retries");
        }
    }
}
