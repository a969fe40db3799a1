namespace MeshStack.Topology;

/// <summary>
/// While serving <see cref="Route"/> of <see cref="Service"/>, its handler calls <see cref="CalleeRoute"/> of
/// <see cref="Callee"/>. The call path of a client request is the chain of these: what decides at which hop the mesh
/// may retry without attempts multiplying along the path.
/// </summary>
public sealed record RouteForward(AppService Service, ApiRoute Route, AppService Callee, ApiRoute CalleeRoute);
