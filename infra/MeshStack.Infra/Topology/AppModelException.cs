namespace MeshStack.Topology;

/// <summary>An application declaration that cannot be deployed: every problem, each naming the service or route.</summary>
public sealed class AppModelException(IReadOnlyList<string> problems)
    : Exception($"the application declaration is invalid:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
