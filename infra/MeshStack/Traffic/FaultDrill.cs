namespace MeshStack.Traffic;

/// <summary>
/// A fault injected for a drill on a service's routes (all of them, or just <see cref="Route"/>):
/// either a delay or an abort with <see cref="AbortStatus"/>, for <see cref="Percent"/> of requests.
/// </summary>
public sealed record FaultDrill(string Service, string? Route, int Percent, TimeSpan? Delay, int? AbortStatus)
{
    public bool Covers(string service, string route) => Service == service && (Route is null || Route == route);
}
