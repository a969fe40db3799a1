using MeshStack.Analysis;
namespace MeshStack.Istio.Analysis;

/// <summary>
/// A stack that replicates its workloads but runs its ingress gateway as one pod (the gateway chart's default
/// autoscaling.minReplicas is 1, values.yaml 83-85 at release-1.31) loses all ingress whenever that pod restarts.
/// </summary>
public sealed class SinglePodGateway : AnalysisRule
{
    public override string Id => "MS503";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "workloads are replicated but an ingress gateway runs a single pod";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var cluster in model.Clusters)
        {
            var replicated = model.Pods.Any(p => p.Owner.Cluster == cluster && (Json.Int(p.Owner.Spec?["replicas"]) ?? 1) > 1);
            if (!replicated) continue;
            foreach (var r in model.Releases.Where(r => r.Cluster == cluster && r.Chart == "gateway"))
            {
                var autoscaling = Json.Str(r.Value("autoscaling.enabled")) != "false" && r.Value("autoscaling.enabled")?.ToJsonString() != "false";
                var pods = autoscaling ? Json.Int(r.Value("autoscaling.minReplicas")) ?? 1 : Json.Int(r.Value("replicaCount")) ?? 1;
                if (pods < 2)
                    yield return At(r.Ref, $"the gateway runs {pods} pod while the workloads are replicated: a restart drops all ingress",
                        "set autoscaling.minReplicas: 2 (and a PodDisruptionBudget)");
            }
        }
    }
}
