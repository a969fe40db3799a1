using MeshStack.Config;
using MeshStack.Istio;
using MeshStack.Linkerd;
using MeshStack.Synthesis;

namespace MeshStack.Meshes;

/// <summary>
/// The one place a mesh object is made from the config's mesh: everything else asks the <see cref="IServiceMesh"/>
/// for its slots. Adding a mesh is a folder with its implementation and one line here.
/// </summary>
public static class MeshCatalog
{
    /// <summary>A fresh mesh for one synthesis (its multi-cluster slots keep state across clusters).</summary>
    public static IServiceMesh Create(MeshKind kind) => kind switch
    {
        MeshKind.Istio => new IstioMesh(),
        MeshKind.Linkerd => new LinkerdMesh(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no mesh implementation"),
    };
}
