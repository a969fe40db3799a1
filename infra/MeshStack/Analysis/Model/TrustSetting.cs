namespace MeshStack.Analysis;

/// <summary>A trust setting of one cluster that every cluster of the mesh must share: where it is set, its name and value.</summary>
public sealed record TrustSetting(ObjectRef Where, string Name, string? Value);
