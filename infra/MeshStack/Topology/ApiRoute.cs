namespace MeshStack.Topology;

public enum PathMatchKind { Exact, Prefix, Regex }

/// <summary>
/// How a route matches a request path. A prefix matches whole path segments: <c>/orders</c> matches <c>/orders</c>,
/// <c>/orders/</c> and <c>/orders/42</c>, never <c>/ordersX</c>; a prefix ending in <c>/</c> matches only what lies
/// below it (<c>/orders/</c> matches <c>/orders/42</c>, not <c>/orders</c>, which is another route's); <c>/</c> matches
/// everything. Both meshes render it with exactly that meaning.
/// </summary>
public sealed record PathMatch(PathMatchKind Kind, string Value)
{
    public static PathMatch Exact(string path) => new(PathMatchKind.Exact, path);
    public static PathMatch Prefix(string path) => new(PathMatchKind.Prefix, path);
    public static PathMatch Regex(string pattern) => new(PathMatchKind.Regex, pattern);

    /// <summary>Whether a concrete request path matches (used by tests and authorization checks).</summary>
    public bool Matches(string path) => Kind switch
    {
        PathMatchKind.Exact => path == Value,
        PathMatchKind.Prefix when ChildrenOnly => path.StartsWith(Value, StringComparison.Ordinal),
        PathMatchKind.Prefix => path.TrimEnd('/') is var p && (p == Value || p.StartsWith(Value + "/", StringComparison.Ordinal)),
        _ => System.Text.RegularExpressions.Regex.IsMatch(path, $"^(?:{Value})$"),
    };

    /// <summary>A prefix ending in <c>/</c> (the root included): what lies below it, not the parent path itself.</summary>
    public bool ChildrenOnly => Kind == PathMatchKind.Prefix && Value.EndsWith('/');

    public override string ToString() => Kind switch
    {
        PathMatchKind.Exact => Value,
        PathMatchKind.Prefix => Value + "*",
        _ => $"~{Value}",
    };
}

/// <summary>
/// One HTTP operation a service serves. <see cref="Idempotent"/> decides whether the mesh may retry it:
/// retrying POST /orders could charge a customer twice.
/// </summary>
public sealed record ApiRoute(string Name, string Method, PathMatch Path, bool Idempotent, TimeSpan Timeout)
{
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);

    public static ApiRoute Read(string name, PathMatch path) => new(name, "GET", path, true, ReadTimeout);
    public static ApiRoute Write(string name, PathMatch path, bool idempotent = false) => new(name, "POST", path, idempotent, WriteTimeout);
}
