using System.Collections.Frozen;

namespace MeshStack.Crds;

/// <summary>One generated custom resource kind.</summary>
/// <param name="Type">The generated class, e.g. <c>MeshStack.Crds.Networking.Istio.V1.VirtualService</c>.</param>
/// <param name="Group">The API group, e.g. <c>networking.istio.io</c>.</param>
/// <param name="Version">The version alone, e.g. <c>v1</c>.</param>
/// <param name="Kind">The kind, e.g. <c>VirtualService</c>.</param>
/// <param name="Plural">The resource name used in API paths, e.g. <c>virtualservices</c>.</param>
public sealed record CrdKind(Type Type, string Group, string Version, string Kind, string Plural)
{
    /// <summary>The <c>apiVersion</c> field value: <c>group/version</c>.</summary>
    public string ApiVersion => $"{Group}/{Version}";
}

/// <summary>Looks up generated kinds; <see cref="All"/> is generated.</summary>
public static partial class CrdKinds
{
    /// <summary>The kind with this apiVersion and kind, or null when it is not generated.</summary>
    public static CrdKind? Find(string apiVersion, string kind) =>
        Index.ByName.TryGetValue((apiVersion, kind), out var found) ? found : null;

    /// <summary>The kind generated as <paramref name="type"/>, or null when it is not a generated resource class.</summary>
    public static CrdKind? Find(Type type) => Index.ByType.TryGetValue(type, out var found) ? found : null;

    // A nested class, because the order of static initializers across the two halves of a partial class is
    // not defined: this runs only once All is set.
    private static class Index
    {
        public static readonly FrozenDictionary<(string ApiVersion, string Kind), CrdKind> ByName =
            All.ToFrozenDictionary(k => (k.ApiVersion, k.Kind));

        public static readonly FrozenDictionary<Type, CrdKind> ByType = All.ToFrozenDictionary(k => k.Type);
    }
}
