using k8s;
using k8s.Models;
using MeshStack.Config;

namespace MeshStack.Synthesis;

/// <summary>
/// One synthesis applying <see cref="StackCustomizations"/>: each object is patched as it is made, and at the end a
/// customization that matched nothing is reported with the names of that type the stack did emit.
/// </summary>
public sealed class CustomizationRun(IReadOnlyList<ObjectCustomization> items)
{
    private readonly HashSet<ObjectCustomization> _applied = [];
    private readonly Dictionary<Type, SortedSet<string>> _emitted = [];

    /// <summary>Patches <paramref name="model"/> with every customization that names it.</summary>
    public void Apply(object model)
    {
        if (items.Count == 0) return;
        foreach (var item in items)
        {
            if (item.Kind.IsInstanceOfType(model) && model is IKubernetesObject<V1ObjectMeta> { Metadata.Name: { } name })
            {
                if (!_emitted.TryGetValue(item.Kind, out var names)) _emitted[item.Kind] = names = new SortedSet<string>(StringComparer.Ordinal);
                names.Add(name);
            }
            if (!item.Matches(model)) continue;
            item.Apply(model);
            _applied.Add(item);
        }
    }

    /// <summary>Fails (exit 2, nothing written) when a customization named no emitted object.</summary>
    public void ThrowIfUnused()
    {
        var problems = new ConfigProblems();
        foreach (var item in items.Where(i => !_applied.Contains(i)))
        {
            var known = _emitted.GetValueOrDefault(item.Kind) ?? [];
            var hint = NearestName.For(item.Name, known) is { } near ? $" (did you mean '{near}'?)" : "";
            var where = item.Namespace is null ? "" : $" in namespace '{item.Namespace}'";
            problems.Add(item.ToString(),
                $"no emitted {item.Kind.Name} is named '{item.Name}'{where}{hint}; emitted: {(known.Count == 0 ? "none of this type" : string.Join(", ", known))}. " +
                "Fix the name or type, or remove the customization");
        }
        problems.ThrowIfAny();
    }
}
