using MeshStack.Topology;

namespace MeshStack.Tests.Application;

/// <summary>
/// The C# front door: the builder's problems name the declared values they are about, which is what lets the stack
/// config binder point at a key path (AppSpecCases) while a host prints the same messages.
/// </summary>
public class AppModelProblemTests
{
    [Fact]
    public void Each_problem_carries_the_service_route_or_call_it_is_about()
    {
        var app = new AppBuilder("Shop");
        var web = app.AddService("web").AsPublic();
        var pages = web.Get("pages", PathMatch.Prefix("/"));
        var again = web.Get("pages", PathMatch.Exact("/again"));
        var bad = web.Get("bad", PathMatch.Regex("/x/["));
        web.Calls(pages);
        var api = app.AddService("api").WithPort(70000);
        var twin = app.AddService("api");

        var problems = Assert.Throws<AppModelException>(() => app.Build()).Details;

        Assert.Contains(problems, p => p is { Part: AppModelPart.Namespace });
        Assert.Contains(problems, p => p.Part == AppModelPart.ServiceName && p.Service == twin && p.Message.Contains("is declared 2 times", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Part == AppModelPart.ServiceName && p.Service == api);
        Assert.Contains(problems, p => p.Part == AppModelPart.Port && p.Service == api);
        Assert.Contains(problems, p => p.Part == AppModelPart.RouteName && p.Route == again);
        Assert.DoesNotContain(problems, p => p.Route == pages);
        Assert.Contains(problems, p => p.Part == AppModelPart.RoutePath && p.Route == bad);
        Assert.Contains(problems, p => p.Part == AppModelPart.Call && p.Service == web && p.Callee == pages);
        Assert.Equal(problems.Select(p => p.Message), Assert.Throws<AppModelException>(() => app.Build()).Problems);
    }
}
