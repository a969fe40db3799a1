using k8s.Models;
using MeshStack.Crds.Networking.Istio.V1;
using MeshStack.Synthesis;
using MeshStack.Tracing;

namespace MeshStack.Istio;

/// <summary>
/// The application namespace's default Sidecar: its proxies get configuration (clusters, endpoints, routes) only for
/// the services they can call (their own namespace, the collector's namespace, the control plane), not for every
/// Service of every namespace of every cluster, which is what a sidecar's memory grows with. Calls outside the
/// scope still leave the pod (the mesh's default outbound policy allows any) but without the mesh's routing.
/// </summary>
public sealed class IstioSidecarScope : IStackComponent
{
    public const string Name = "default";

    public static IReadOnlyList<string> EgressHosts { get; } = ["./*", $"{IstioMesh.SystemNamespace}/*", $"{CollectorEndpoint.Namespace}/*"];

    public void Build(ClusterBuild build) =>
        build.Scope.CustomResources("sidecar-scope",
        [
            new Sidecar
            {
                Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = build.Topology.Namespace },
                Spec = new SidecarSpec { Egress = [new SidecarSpecEgress { Hosts = [.. EgressHosts] }] },
            },
        ], build.Install.Crds, build.AppNamespace);
}
