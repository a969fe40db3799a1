namespace MeshStack.Config;

/// <summary>One thing wrong with the stack config, at its full key path (e.g. <c>mesh-stack:clusters[1].name</c>).</summary>
public sealed record ConfigProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>Thrown once, after binding, with every problem found; exit code 2.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigProblem> problems)
    : Exception($"invalid stack configuration ({problems.Count} problem{(problems.Count == 1 ? "" : "s")})")
{
    public IReadOnlyList<ConfigProblem> Problems { get; } = problems;
}

/// <summary>Collects problems so that a user sees all of them at once, not one per run.</summary>
public sealed class ConfigProblems
{
    private readonly List<ConfigProblem> _items = [];
    public IReadOnlyList<ConfigProblem> Items => _items;
    public void Add(string path, string message) => _items.Add(new ConfigProblem(path, message));

    public void ThrowIfAny()
    {
        if (_items.Count > 0) throw new ConfigException(_items);
    }
}
