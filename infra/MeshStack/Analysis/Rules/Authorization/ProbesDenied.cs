using MeshStack.Analysis.Simulation;

namespace MeshStack.Analysis.Rules.Authorization;

/// <summary>
/// Kubelet probes arrive with no mesh identity. Linkerd's inbound proxy authorizes them like any request, so a policy
/// that admits only meshed callers fails the probes and the pod never becomes ready. Istio's sidecar answers
/// rewritten HTTP probes itself unless <c>sidecar.istio.io/rewriteAppHTTPProbers: "false"</c>, in which case the
/// AuthorizationPolicies decide.
/// </summary>
public sealed class ProbesDenied : AnalysisRule
{
    public override string Id => "MS208";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a kubelet HTTP probe is denied by the rendered authorization policy";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var cluster in model.Clusters)
        {
            var objects = model.ObjectsIn(cluster);
            foreach (var pod in model.Pods.Where(p => p.Owner.Cluster == cluster && model.Mesh.IsMeshed(model, p)))
            {
                if (!model.Mesh.ProbesReachPolicy(pod)) continue;
                foreach (var c in pod.Containers)
                foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
                {
                    if (c[probe]?["httpGet"] is not System.Text.Json.Nodes.JsonObject get) continue;
                    var path = Json.Str(get["path"]) ?? "/";
                    var request = new InboundRequest(null, "GET", path, Port: Json.Int(get["port"]));
                    AuthorizationVerdict verdict;
                    try
                    {
                        verdict = model.Mesh.Authorize(objects, pod.Owner.Namespace ?? "default", pod.Labels, ContainerPorts.NameOf(pod, get["port"]) ?? "", request);
                    }
                    catch (NotSupportedException)
                    {
                        continue; // a construct the simulator does not model: no verdict rather than a wrong one
                    }
                    // without a Server the namespace default decides, and Linkerd's default servers carry their own probe
                    // authorization, which the simulator does not model: not judged rather than misjudged
                    if (verdict.DecidedBy.All(d => d.StartsWith("Namespace/", StringComparison.Ordinal))) continue;
                    if (!verdict.Allowed)
                        yield return At(pod.Owner, $"container '{Security.Policy.WorkloadPod.NameOf(c)}' {probe} GET {path} is denied ({verdict.Reason}; {string.Join(", ", verdict.DecidedBy)}): the pod never becomes ready",
                            "authorize unauthenticated GET on the probe paths (a NetworkAuthentication on a probe route)");
                }
            }
        }
    }
}
