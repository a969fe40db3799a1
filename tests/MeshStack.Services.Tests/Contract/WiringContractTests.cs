using MeshStack.LocalRun;
using MeshStack.Topology;

namespace MeshStack.Services.Tests;

/// <summary>
/// Local runs and the service tests wire each service with the settings the infra renders on its Deployment, from the
/// same topology: the same <c>Downstream__*</c> variables pointing at the same callees, <c>PG*</c> on exactly the services
/// that use the database, and <c>Jwt__*</c> (the test stack applies the issuer's settings) on exactly the services that
/// check tokens. Compared with a real render of the repository's stacks.
/// </summary>
public sealed class WiringContractTests
{
    private static readonly string[] DatabaseVariables = ["PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD"];

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Local_wiring_sets_what_the_infra_renders_for_each_service(string stack)
    {
        var rendered = RenderedStack.Of(stack);

        Assert.Empty(Differences(TestStack.Topology, rendered));
        Assert.Empty(JwtDifferences(TestStack.Topology, rendered));
    }

    [Fact]
    public void Seeded_fault_jwt_settings_where_the_infra_renders_none_are_named()
    {
        var rendered = RenderedStack.Of("prod");
        var inventoryChecksTokens = Changed("inventory", s => s with { ValidatesEndUserTokens = true });

        Assert.Equal(["inventory: the test stack gives it the JWT settings, the infra renders no Jwt__*"], JwtDifferences(inventoryChecksTokens, rendered));
    }

    /// <summary>A copy of the topology with one service changed (calls refer to services by name here).</summary>
    private static AppTopology Changed(string service, Func<AppService, AppService> change) =>
        TestStack.Topology with { Services = [.. TestStack.Topology.Services.Select(s => s.Name == service ? change(s) : s)] };

    /// <summary>
    /// Where the test stack's JWT settings (for the services <paramref name="local"/> says check tokens) and the
    /// render's <c>Jwt__*</c> disagree; a stack without <c>jwt</c> renders none, and the tests then set none.
    /// </summary>
    private static IReadOnlyList<string> JwtDifferences(AppTopology local, RenderedStack rendered) =>
        rendered.Config.Jwt is null
            ? []
            : rendered.Services
                .Select(d => (d.Service.Name, Local: local.Service(d.Service.Name).ValidatesEndUserTokens, Rendered: d.Variables.Keys.Any(v => v.StartsWith("Jwt__", StringComparison.Ordinal))))
                .Where(d => d.Local != d.Rendered)
                .Select(d => d.Local
                    ? $"{d.Name}: the test stack gives it the JWT settings, the infra renders no Jwt__*"
                    : $"{d.Name}: the infra renders Jwt__*, the test stack gives it no JWT settings")
                .ToList();

    [Fact]
    public void Seeded_fault_a_call_missing_from_the_local_topology_is_named()
    {
        var rendered = RenderedStack.Of("dev");
        var topology = TestStack.Topology;
        var withoutCharge = topology with { Calls = [.. topology.Calls.Where(c => !(c.From.Name == "order" && c.To.Name == "payment"))] };

        Assert.Equal(["order: the infra renders Downstream__Payment (payment), local wiring does not set it"], Differences(withoutCharge, rendered));
    }

    [Fact]
    public void Seeded_fault_a_service_wired_to_the_database_the_infra_does_not_give_it_is_named()
    {
        var rendered = RenderedStack.Of("dev");
        var gatewayWithDatabase = Changed("api-gateway", s => s with { UsesDatabase = true });

        var differences = Differences(gatewayWithDatabase, rendered);
        Assert.Equal(DatabaseVariables.Select(v => $"api-gateway: local wiring sets {v}, the infra does not render it"), differences);
    }

    /// <summary>
    /// Where local wiring from <paramref name="local"/> and the rendered Deployments disagree: a Downstream or PG variable
    /// only one of them sets, or a Downstream variable pointing at another service (the host's first label).
    /// </summary>
    private static IReadOnlyList<string> Differences(AppTopology local, RenderedStack rendered)
    {
        static bool Wiring(string variable) => variable.StartsWith("Downstream__", StringComparison.Ordinal) || DatabaseVariables.Contains(variable);
        var differences = new List<string>();
        Assert.NotEmpty(rendered.Services);
        foreach (var (service, variables) in rendered.Services)
        {
            var wired = LocalWiring.Environment(local, local.Service(service.Name), callee => new Uri($"http://{callee.Name}.local"),
                new DatabaseAccess("127.0.0.1", 5432, local.Database.Name, local.Database.User, "unused"));
            foreach (var variable in variables.Keys.Where(Wiring).Where(v => !wired.ContainsKey(v)))
            {
                differences.Add($"{service.Name}: the infra renders {variable} ({Callee(variables[variable])}), local wiring does not set it");
            }

            foreach (var variable in wired.Keys.Where(v => !variables.ContainsKey(v)))
            {
                differences.Add($"{service.Name}: local wiring sets {variable}, the infra does not render it");
            }

            foreach (var variable in wired.Keys.Where(v => v.StartsWith("Downstream__", StringComparison.Ordinal) && variables.ContainsKey(v))
                .Where(v => Callee(wired[v]) != Callee(variables[v])))
            {
                differences.Add($"{service.Name}: {variable} is {Callee(variables[variable])} in the render, {Callee(wired[variable])} locally");
            }
        }

        return differences;
    }

    private static string? Callee(string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.Host.Split('.')[0] : address;
}
