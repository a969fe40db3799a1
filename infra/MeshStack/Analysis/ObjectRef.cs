namespace MeshStack.Analysis;

/// <summary>Where a finding is: the cluster, and the object's kind, namespace (null when cluster-scoped) and name.</summary>
public sealed record ObjectRef(string Cluster, string Kind, string? Namespace, string Name)
{
    public override string ToString() => $"{Cluster}/{Kind}/{Namespace ?? "-"}/{Name}";
}
