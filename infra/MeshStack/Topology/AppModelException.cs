namespace MeshStack.Topology;

/// <summary>An application declaration that cannot be deployed: every problem, each naming the service or route.</summary>
public sealed class AppModelException(IReadOnlyList<AppModelProblem> details)
    : Exception($"the application declaration is invalid:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", details)}")
{
    public IReadOnlyList<string> Problems { get; } = [.. details.Select(d => d.Message)];

    /// <summary>The same problems with the declared values each is about.</summary>
    public IReadOnlyList<AppModelProblem> Details { get; } = details;
}
