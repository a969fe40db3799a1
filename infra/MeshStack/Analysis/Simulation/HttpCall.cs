namespace MeshStack.Analysis.Simulation;

/// <summary>An HTTP request as a router sees it: method, path and headers (names lower-case).</summary>
public sealed record HttpCall(string Method, string Path, IReadOnlyDictionary<string, string> Headers)
{
    public HttpCall(string method, string path) : this(method, path, new Dictionary<string, string>()) { }

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}
