namespace MeshStack.Analysis;

/// <summary>
/// A pod a Helm chart or a controller (Flagger) makes, as far as its templates fix its labels and ServiceAccount. Only charts whose
/// templates were read are listed; selectors in other chart namespaces are not judged.
/// </summary>
public sealed record ChartWorkload(string Cluster, string Namespace, IReadOnlyDictionary<string, string> Labels, string ServiceAccount)
{
    public static IEnumerable<ChartWorkload> In(RenderModel model)
    {
        foreach (var r in model.Releases.Where(r => r.Chart == "gateway"))
        {
            // Istio gateway chart: name = values.name or the release name; selector labels app=<name>, istio=<name without
            // "istio-">; ServiceAccount <name> (istio manifests/charts/gateway/templates/_helpers.tpl 1-7, 18-21, 34-40, release-1.31)
            var name = Json.Str(r.Value("name")) ?? r.Name;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["app"] = Json.Str(r.Value("labels.app")) ?? name,
                ["istio"] = Json.Str(r.Value("labels.istio")) ?? (name.StartsWith("istio-", StringComparison.Ordinal) ? name["istio-".Length..] : name),
            };
            yield return new ChartWorkload(r.Cluster, r.Namespace, labels, Json.Str(r.Value("serviceAccount.name")) ?? name);
        }
        // Flagger copies a Canary's target to <target>-primary with app=<target>-primary and the target's ServiceAccount
        foreach (var c in model.OfKind("flagger.app", "Canary"))
        {
            var target = Json.Str(c.Spec?["targetRef"]?["name"]) ?? "";
            var pod = model.Pods.FirstOrDefault(p => p.Owner.Cluster == c.Cluster && p.Owner.Namespace == c.Namespace && p.Owner.Name == target);
            if (pod is null) continue;
            var labels = new Dictionary<string, string>(pod.Labels, StringComparer.Ordinal) { ["app"] = $"{target}-primary" };
            yield return new ChartWorkload(c.Cluster, c.Namespace ?? "default", labels, pod.ServiceAccount);
        }
    }
}
