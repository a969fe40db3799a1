namespace MeshStack.Graph;

/// <summary>Pulumi resource options the stack uses. References are resources, never names.</summary>
public sealed record ResourceOptions
{
    public Resource? Provider { get; init; }
    public IReadOnlyList<Resource> DependsOn { get; init; } = [];
    /// <summary>Plugin version; set on every resource of a package so the engine sees one pin.</summary>
    public string? Version { get; init; }
    public bool Protect { get; init; }
    public bool RetainOnDelete { get; init; }
    public IReadOnlyList<string> IgnoreChanges { get; init; } = [];
    public IReadOnlyList<string> AdditionalSecretOutputs { get; init; } = [];
}
