using MeshStack.Analysis;
using MeshStack.Topology;

namespace MeshStack.Security.Policy;

/// <summary>A declared edge a render does not enforce: where (<paramref name="Resource"/>, <paramref name="Subject"/>) and what is missing.</summary>
public sealed record UnauthorizedEdge(string Resource, ObjectRef Subject, string Message)
{
    /// <summary>A declared route of a grant that no rendered policy allows.</summary>
    public static UnauthorizedEdge Route(string cluster, AuthorizationIntent intent, AccessGrant grant, ApiRoute route) =>
        new($"cluster {cluster}: {grant.From.Name} -> {grant.To.Name}", new(cluster, "Service", intent.Namespace, grant.To.Name),
            $"{grant.From.Name} -> {grant.To.Name}: {route.Method} {route.Path} is declared but not authorized");
}
