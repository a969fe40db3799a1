namespace MeshStack.Security.Policy.Rules;

/// <summary>Containers cannot write to their image: a compromise cannot persist tools or alter binaries.</summary>
public sealed class WorkloadReadOnlyRootFilesystem : PolicyRule
{
    public override string Id => "workload-read-only-root-fs";
    public override string Summary => "every container has a read-only root filesystem";

    public override IEnumerable<PolicyFinding> Check(PolicyContext context)
    {
        foreach (var pod in WorkloadPod.In(context))
        foreach (var c in pod.Containers)
        {
            if (c["securityContext"]?["readOnlyRootFilesystem"]?.GetValue<bool>() != true)
                yield return Finding(pod.Owner, $"container '{WorkloadPod.NameOf(c)}' has a writable root filesystem",
                    "set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app must write (e.g. /tmp)");
        }
    }
}
