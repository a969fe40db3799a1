namespace MeshStack.Topology;

/// <summary>
/// A route of a declared service, as a value: what <see cref="ServiceBuilder.Calls(RouteReference[])"/> and
/// <see cref="Forwards"/> take, so a call names the route the callee declared rather than a string to look up.
/// </summary>
public sealed class RouteReference
{
    internal RouteReference(ServiceBuilder service, ApiRoute route) => (Service, Route) = (service, route);

    public ServiceBuilder Service { get; }
    public ApiRoute Route { get; }
    public string Name => Route.Name;

    /// <summary>
    /// The handler of this route calls <paramref name="callees"/>: declares the calls (as <see cref="ServiceBuilder.Calls(RouteReference[])"/>)
    /// and the call path, which decides at which hop the mesh retries. Returns this route for more forwards.
    /// </summary>
    public RouteReference Forwards(params RouteReference[] callees)
    {
        Service.Calls(callees);
        foreach (var callee in callees) Service.App.AddForward(this, callee);
        return this;
    }

    public override string ToString() => $"{Service.Name}/{Name}";
}
