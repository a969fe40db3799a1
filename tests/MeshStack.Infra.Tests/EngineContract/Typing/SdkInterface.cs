namespace MeshStack.Tests.EngineContract.Typing;

/// <summary>One input property of an SDK interface: its declared type and whether it lacks the <c>?</c>.</summary>
public sealed record SdkProperty(string Name, SdkType Type, bool Required);

/// <summary>A TypeScript interface of an SDK (a resource's <c>*Args</c> or a nested input type), by qualified name.</summary>
public sealed record SdkInterface
{
    private readonly Dictionary<string, SdkProperty> _byName;

    public SdkInterface(string name, IReadOnlyList<SdkProperty> properties)
    {
        Name = name;
        Properties = properties;
        // the engine matches property names exactly (schema.ObjectType.Property), so does this lookup
        _byName = properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public string Name { get; }

    public IReadOnlyList<SdkProperty> Properties { get; }

    public SdkProperty? Property(string name) => _byName.GetValueOrDefault(name);
}
