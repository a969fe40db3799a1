namespace MeshStack.Topology;

/// <summary>Which part of a declaration an <see cref="AppModelProblem"/> is about.</summary>
public enum AppModelPart { Namespace, Services, ServiceName, Port, Public, ValidatesTokens, RouteName, RoutePath, Call }

/// <summary>
/// One problem of an application declaration, with the declared values it is about (the service, its route, the called
/// route), so that a front door can point at its own source: a C# host prints the message, the stack config binder
/// maps it to the key path of <c>mesh-stack:app</c> that declared those values.
/// </summary>
public sealed record AppModelProblem(AppModelPart Part, string Message)
{
    public ServiceBuilder? Service { get; init; }
    public RouteReference? Route { get; init; }
    /// <summary>For <see cref="AppModelPart.Call"/>: the route <see cref="Service"/> calls.</summary>
    public RouteReference? Callee { get; init; }

    public override string ToString() => Message;
}
