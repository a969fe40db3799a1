namespace MeshStack.Security;

/// <summary>
/// A caller as the mesh sees it: a ServiceAccount in a namespace. Each mesh turns it into its own identity
/// string (Istio: a SPIFFE principal, Linkerd: a proxy identity), so both are derived from the same value.
/// </summary>
public sealed record Peer(string Name, string Namespace, string ServiceAccount);
