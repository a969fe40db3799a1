using System.Text.Json.Nodes;

namespace MeshStack.Graph;

/// <summary>
/// One Pulumi resource: a logical name, a type token, its inputs and options.
/// <see cref="Inputs"/> is the typed model (a <c>k8s.Models</c> object, a provider args record, or a JSON object);
/// it is serialized once, when the program is emitted.
/// </summary>
public sealed class Resource
{
    internal Resource(string name, string type, object inputs, ResourceOptions options, string? cluster)
    {
        Name = name;
        Type = type;
        Inputs = inputs;
        Options = options;
        Cluster = cluster;
    }

    public string Name { get; }
    public string Type { get; }
    public object Inputs { get; }
    public ResourceOptions Options { get; }

    /// <summary>The cluster whose provider this resource uses; null for cluster-independent resources (tls, random).</summary>
    public string? Cluster { get; }

    /// <summary>True when the program reads this resource (<c>get:</c>) rather than creating it.</summary>
    public bool IsRead => Inputs is ReadInputs;

    /// <summary>A typed reference to one of this resource's outputs.</summary>
    public OutputRef Output(string property) => new(this, property);

    /// <summary>The typed inputs, for tests and for components that read what another built.</summary>
    public T As<T>() where T : class =>
        Inputs as T ?? throw new InvalidCastException($"resource '{Name}' ({Type}) holds {Inputs.GetType().Name}, not {typeof(T).Name}");

    public override string ToString() => $"{Name} ({Type})";
}

/// <summary>A provider args record serialized to a plain JSON object (camelCase).</summary>
public interface IProviderArgs;

/// <summary>Marks <see cref="Resource.Inputs"/> that are already a JSON object.</summary>
public sealed record RawInputs(JsonObject Json);

/// <summary>
/// Inputs of a resource that is read, not created (Pulumi YAML <c>get: {id}</c>): an object another resource made,
/// such as the Service a Helm chart creates, whose live outputs (status) the program needs.
/// </summary>
public sealed record ReadInputs(string Id);
