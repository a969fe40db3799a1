using MeshStack.Config;
using MeshStack.Istio;
using MeshStack.Meshes;

namespace MeshStack.Security;

/// <summary>The identities of callers from outside the application namespace, per mesh.</summary>
public static class EdgeIdentities
{
    /// <summary>The meshed Traefik that is Linkerd's edge (<see cref="Linkerd.LinkerdEdge"/>); every ingress authorization keys off it.</summary>
    public static readonly Peer LinkerdIngress = new("ingress", Linkerd.LinkerdEdge.Namespace, Linkerd.LinkerdEdge.ServiceAccount);

    /// <summary>The istio-ingress gateway: the gateway chart names its ServiceAccount after the release.</summary>
    public static readonly Peer IstioIngress = new("ingress", IstioMesh.IngressNamespace, IstioMesh.IngressRelease);

    /// <summary>linkerd-viz's Prometheus, which scrapes every proxy's admin port.</summary>
    public static readonly Peer LinkerdVizPrometheus = new("prometheus", "linkerd-viz", "prometheus");

    /// <summary>
    /// linkerd-multicluster's gateway: in gateway mode, callers from other clusters arrive with its identity.
    /// Its ServiceAccount is named after the gateway (<see cref="Linkerd.LinkerdMultiCluster.GatewayService"/>).
    /// </summary>
    public static readonly Peer LinkerdMultiClusterGateway = new(
        Linkerd.LinkerdMultiCluster.GatewayService, Linkerd.LinkerdMultiCluster.Namespace, Linkerd.LinkerdMultiCluster.GatewayService);

    /// <summary>The ingress of <paramref name="mesh"/>, as its security slot names it.</summary>
    public static Peer Ingress(MeshKind mesh) => MeshCatalog.Create(mesh).Security.Ingress;
}
