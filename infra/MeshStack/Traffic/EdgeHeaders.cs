namespace MeshStack.Traffic;

/// <summary>
/// Request headers that steer the mesh for internal callers and that a client outside it must not choose: the
/// canary's header (which sends a request to the new version). Each edge removes them from every request it
/// forwards; callers inside the mesh (and the frontend, passing on its own caller's) still set them.
/// </summary>
public static class EdgeHeaders
{
    public static IReadOnlyList<string> Stripped(TrafficIntent intent) => intent.Canary is { Header: { } header } ? [header.Name] : [];
}
