using k8s.Models;

namespace MeshStack.Workloads;

/// <summary>
/// The hardening every workload the stack runs gets (the policy pack's workload rules check it): a non-root user,
/// the runtime's default seccomp profile, and containers that cannot escalate, hold no capabilities and write only
/// to the volumes they mount.
/// </summary>
public static class PodSecurity
{
    /// <summary>Runs the pod as <paramref name="uid"/> (and its group, owning mounted volumes); null: the image's non-root user.</summary>
    public static V1PodSecurityContext NonRoot(long? uid = null) => new()
    {
        RunAsNonRoot = true,
        RunAsUser = uid,
        RunAsGroup = uid,
        FsGroup = uid,
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    public static V1SecurityContext Container() => new()
    {
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = true,
        RunAsNonRoot = true,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
    };
}
