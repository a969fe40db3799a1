using MeshStack.Analysis;
using System.Text.Json.Nodes;

namespace MeshStack.Linkerd.Analysis;

/// <summary>Two Linkerd Servers selecting the same pod and port conflict; Linkerd keeps one of them arbitrarily (the oldest).</summary>
public sealed class ServerConflict : AnalysisRule
{
    public override string Id => "MS212";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "two Linkerd Servers select the same pod port";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        var servers = model.OfKind("policy.linkerd.io", "Server").ToList();
        foreach (var pod in model.Pods)
        {
            var selecting = servers.Where(s => s.Cluster == pod.Owner.Cluster && s.Namespace == pod.Owner.Namespace
                && LabelSelector.Matches(s.Spec?["podSelector"]?["matchLabels"] as JsonObject, pod.Labels) && s.Spec?["podSelector"]?["matchExpressions"] is null);
            foreach (var group in selecting.GroupBy(s => s.Spec?["port"]?.ToJsonString() ?? "").Where(g => g.Count() > 1))
                yield return At(group.Skip(1).First(), $"Servers {string.Join(", ", group.Select(s => s.Name))} all select port {group.Key} of {pod.Owner.Kind} {pod.Owner.Name}: Linkerd applies only one",
                    "keep one Server per pod port");
        }
    }
}
