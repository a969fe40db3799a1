using k8s;
using k8s.Models;

namespace MeshStack.Synthesis;

/// <summary>One patch of <see cref="StackCustomizations"/>: which objects it applies to, and what it does to them.</summary>
public sealed class ObjectCustomization(Type kind, string name, string? ns, Action<object> patch)
{
    public Type Kind { get; } = kind;
    public string Name { get; } = name;
    public string? Namespace { get; } = ns;

    public bool Matches(object model) =>
        Kind.IsInstanceOfType(model) && model is IKubernetesObject<V1ObjectMeta> { Metadata: { } meta }
        && meta.Name == Name && (Namespace is null || meta.NamespaceProperty == Namespace);

    public void Apply(object model) => patch(model);

    /// <summary>How the host wrote it: what an error names.</summary>
    public override string ToString() =>
        Namespace is null ? $"Customize<{Kind.Name}>(\"{Name}\")" : $"Customize<{Kind.Name}>(\"{Name}\", namespace: \"{Namespace}\")";
}
