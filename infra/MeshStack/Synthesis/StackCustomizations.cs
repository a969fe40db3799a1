using k8s;
using k8s.Models;

namespace MeshStack.Synthesis;

/// <summary>
/// A user's typed escape hatch: patches on objects the stack emits, named by type and <c>metadata.name</c>
/// (like cdk8s's patches or Aspire's <c>PublishAsKubernetesService</c>). The host collects them before synthesis;
/// each is applied as its objects are made, in every cluster, before anything else sees them, and the analysis
/// runs on the result. A customization that names no emitted object fails the synthesis: a typo must not pass.
/// </summary>
public sealed class StackCustomizations
{
    private readonly List<ObjectCustomization> _items = [];

    public IReadOnlyList<ObjectCustomization> Items => _items;

    /// <summary>
    /// Patches every emitted <typeparamref name="T"/> (a <c>k8s.Models</c> type or a generated CRD type) named
    /// <paramref name="name"/>, in <paramref name="namespace"/> when given.
    /// </summary>
    public StackCustomizations Customize<T>(string name, Action<T> patch, string? @namespace = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(patch);
        _items.Add(new ObjectCustomization(typeof(T), name, @namespace, o => patch((T)o)));
        return this;
    }
}
