namespace MeshStack.Security.Policy.Rules;

/// <summary>Images are pinned: a tag other than latest, or a digest, so every rollout runs what was reviewed.</summary>
public sealed class ImageNoLatestTag : PolicyRule
{
    public override string Id => "image-no-latest";
    public override string Summary => "every image has an explicit tag other than latest (or a digest)";

    public override IEnumerable<PolicyFinding> Check(PolicyContext context)
    {
        foreach (var pod in WorkloadPod.In(context))
        foreach (var c in pod.Containers)
        {
            var image = c["image"]?.GetValue<string>() ?? "";
            if (image.Contains("@sha256:", StringComparison.Ordinal)) continue;
            var lastSegment = image[(image.LastIndexOf('/') + 1)..];
            var colon = lastSegment.LastIndexOf(':');
            var tag = colon < 0 ? null : lastSegment[(colon + 1)..];
            if (tag is null or "" or "latest")
                yield return Finding(pod.Owner, $"container '{WorkloadPod.NameOf(c)}' uses image '{image}' ({(tag is null or "" ? "no tag, which means latest" : "tag latest")})",
                    $"pin a version: set {KeyOf(image, context.Config)} to a release tag (or use a digest)");
        }
    }

    /// <summary>The config key that chose this image, so the fix names what to edit.</summary>
    private static string KeyOf(string image, Config.StackConfig config) =>
        image == config.Database.Image ? $"{Config.ConfigKeys.Database.FullName}.image"
        : config.Traffic.Canary is { } canary && image.EndsWith($":{canary.ImageTag}", StringComparison.Ordinal) && canary.ImageTag != config.Images.Tag ? $"{Config.ConfigKeys.Traffic.FullName}.canary.tag"
        : $"{Config.ConfigKeys.Images.FullName}.tag";
}
