using MeshStack.Analysis;
using MeshStack.Config;
using MeshStack.Istio;
using MeshStack.Linkerd;

namespace MeshStack.Meshes;

/// <summary>The one place the analysis picks its mesh object: from the stack config, or from a render's releases.</summary>
public static class MeshAnalysisCatalog
{
    public static IReadOnlyList<IMeshAnalysis> All { get; } = [IstioAnalysis.Instance, LinkerdAnalysis.Instance];

    public static IMeshAnalysis For(MeshKind mesh) => mesh switch
    {
        MeshKind.Istio => IstioAnalysis.Instance,
        MeshKind.Linkerd => LinkerdAnalysis.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(mesh), mesh, "no analysis for this mesh"),
    };

    /// <summary>A render directory without its config: the mesh whose control plane a release installs (Linkerd when none does, as before).</summary>
    public static IMeshAnalysis Detect(IReadOnlyList<HelmRelease> releases) =>
        All.FirstOrDefault(m => m.InstalledBy(releases)) ?? LinkerdAnalysis.Instance;
}
