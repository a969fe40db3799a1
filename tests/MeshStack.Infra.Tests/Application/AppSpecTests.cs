using MeshStack.Tests.BadInput;
using MeshStack.Tests.Support;
using MeshStack.Topology;

namespace MeshStack.Tests.Application;

/// <summary>
/// <c>mesh-stack:app</c> accepted: what a declaration binds to, and that it replaces the host's application. Its
/// refusals are in the bad-input corpus (<see cref="AppSpecCases"/>).
/// </summary>
public class AppSpecTests
{
    [Fact]
    public void The_base_of_the_refused_cases_renders_its_own_services_instead_of_the_hosts()
    {
        var (dir, file) = Marketplace.Write("shop", AppSpecCases.Base);
        var outDir = Path.Combine(dir, "out");
        var result = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var deployments = Directory.GetFiles(Path.Combine(outDir, "manifests", "east"), "*-deployment-*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["shop-deployment-api.yaml", "shop-deployment-web.yaml", "shop-deployment-worker.yaml"], deployments);
    }

    [Fact]
    public void A_declaration_binds_to_the_model_with_the_documented_defaults()
    {
        var yaml = AppSpecCases.Edit("{service: api, routes: [list-items]}", "{service: api}")
            .Replace("      - name: worker\n", "      - name: worker\n        port: 9000\n        image: registry.example.com/worker:7\n        runAsUser: 10001\n", StringComparison.Ordinal)
            .Replace("{name: run, method: POST, path: {exact: /runs}}", "{name: run, method: PUT, path: {exact: /runs}, timeout: 30s}", StringComparison.Ordinal);
        var app = Stacks.ConfigFromYaml(yaml).App;

        Assert.Equal(("shop", "shop"), (app.Namespace, app.Name));
        Assert.Equal(["web", "worker", "api"], app.Services.Select(s => s.Name));
        // a call without routes calls every route of the service
        Assert.Equal(["list-items", "create-item", "release"], app.Calls.Single(c => c.From.Name == "web").Routes.Select(r => r.Name));
        Assert.Equal(("worker", "run"), (app.Calls.Single(c => c.From.Name == "api").To.Name, app.Calls.Single(c => c.From.Name == "api").Routes.Single().Name));

        var api = app.Service("api");
        Assert.True(api.UsesDatabase);
        Assert.Equal(ApiRoute.Read("list-items", PathMatch.Exact("/items")), api.Route("list-items"));
        Assert.Equal(ApiRoute.Write("create-item", PathMatch.Exact("/items")), api.Route("create-item"));
        Assert.Equal(ApiRoute.Write("release", PathMatch.Regex("/items/[^/]+/release"), idempotent: true), api.Route("release"));

        var worker = app.Service("worker");
        Assert.Equal((9000, "registry.example.com/worker:7", 10001L, false), (worker.Port, worker.Image, worker.RunAsUser, worker.Public));
        // PUT is idempotent (RFC 9110 9.2.2) unless said otherwise
        Assert.Equal(new ApiRoute("run", "PUT", PathMatch.Exact("/runs"), true, TimeSpan.FromSeconds(30)), worker.Route("run"));
        Assert.True(app.Service("web").Public);
        Assert.Equal(AppService.DefaultRunAsUser, app.Service("web").RunAsUser);
    }

    [Fact]
    public void Every_problem_of_a_declaration_is_reported_at_once_and_nothing_else()
    {
        var yaml = AppSpecCases.Edit("{service: api, routes: [list-items]}", "{service: apii, routes: [list-items]}")
            .Replace("{name: create-item,", "{name: list-items,", StringComparison.Ordinal)
            .Replace("public: true", "public: sometimes", StringComparison.Ordinal)
            // a key naming a service only the host has: not reported while the app itself is refused
            + "  mesh-stack:traffic:\n    canary: {service: order, weight: 10}\n";
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, "Pulumi.bad.yaml");
        File.WriteAllText(file, yaml);
        var result = InProcess.Run(dir, null, "render", "--config", file, "--out", Path.Combine(dir, "out"));
        Assert.Equal(2, result.ExitCode);
        var problems = result.Stderr.Split('\n').Where(l => l.StartsWith("  mesh-stack:", StringComparison.Ordinal)).Select(l => l.Trim()[..l.Trim().IndexOf(": ", StringComparison.Ordinal)]).ToList();
        Assert.Equal(["mesh-stack:app.services[0].public", "mesh-stack:app.services[0].calls[0].service", "mesh-stack:app.services[2].routes[1].name"], problems);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }
}
