namespace MeshStack.Analysis.Rules.Reachability;

/// <summary>A pod template naming a ServiceAccount that is not rendered is never scheduled (the ReplicaSet cannot create pods).</summary>
public sealed class ServiceAccountMissing : AnalysisRule
{
    public override string Id => "MS103";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a pod template's serviceAccountName names no ServiceAccount in its namespace";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var pod in model.Pods)
        {
            var sa = pod.ServiceAccount;
            if (sa == "default" || model.IsChartNamespace(pod.Owner.Cluster, pod.Owner.Namespace)) continue;
            if (!model.OfKind("", "ServiceAccount", pod.Owner.Cluster).Any(a => a.Namespace == pod.Owner.Namespace && a.Name == sa))
                yield return At(pod.Owner, $"serviceAccountName '{sa}' is not rendered in {pod.Owner.Namespace}: no pod can be created (and its mesh identity would not exist)",
                    "render the ServiceAccount with the workload, or name one that exists");
        }
    }
}
