using MeshStack.Topology;

namespace MeshStack.Security;

/// <summary>One allowed edge: <see cref="From"/> may call these routes (method + path) of <see cref="To"/>, nothing else.</summary>
public sealed record AccessGrant(Peer From, AppService To, IReadOnlyList<ApiRoute> Routes);
