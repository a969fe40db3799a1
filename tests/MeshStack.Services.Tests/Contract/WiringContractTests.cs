using k8s.Models;
using MeshStack.Config;
using MeshStack.LocalRun;
using MeshStack.Synthesis;
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
        var (config, rendered) = Render(stack);

        Assert.Empty(Differences(TestStack.Topology, rendered));
        // prod checks tokens: the test stack's JWT settings go where the infra renders them
        if (config.Jwt is not null)
        {
            Assert.All(rendered, d => Assert.Equal(d.Service.ValidatesEndUserTokens, d.Variables.Keys.Any(v => v.StartsWith("Jwt__", StringComparison.Ordinal))));
        }
    }

    [Fact]
    public void Seeded_fault_a_call_missing_from_the_local_topology_is_named()
    {
        var (_, rendered) = Render("dev");
        var topology = TestStack.Topology;
        var withoutCharge = topology with { Calls = [.. topology.Calls.Where(c => !(c.From.Name == "order" && c.To.Name == "payment"))] };

        Assert.Equal(["order: the infra renders Downstream__Payment (payment), local wiring does not set it"], Differences(withoutCharge, rendered));
    }

    [Fact]
    public void Seeded_fault_a_service_wired_to_the_database_the_infra_does_not_give_it_is_named()
    {
        var (_, rendered) = Render("dev");
        var topology = TestStack.Topology;
        var gatewayWithDatabase = topology with
        {
            Services = [.. topology.Services.Select(s => s.Name == "api-gateway" ? s with { UsesDatabase = true } : s)],
        };

        var differences = Differences(gatewayWithDatabase, rendered);
        Assert.Equal(DatabaseVariables.Select(v => $"api-gateway: local wiring sets {v}, the infra does not render it"), differences);
    }

    /// <summary>The services' Deployments in a render of <c>Pulumi.&lt;stack&gt;.yaml</c> with their variables.</summary>
    private static (StackConfig Config, IReadOnlyList<(AppService Service, IReadOnlyDictionary<string, string?> Variables)> Deployments) Render(string stack)
    {
        var topology = TestStack.Topology;
        var config = StackConfigBinder.Bind(stack, StackFile.Load(Path.Combine(Repository.Root(), $"Pulumi.{stack}.yaml")), topology);
        var graph = StackSynthesizer.Synthesize(config, topology);
        var deployments = graph.Resources
            .Select(r => r.Inputs).OfType<V1Deployment>()
            .Where(d => topology.Services.Any(s => s.Name == d.Metadata.Name))
            .Select(d => (topology.Service(d.Metadata.Name), (IReadOnlyDictionary<string, string?>)d.Spec.Template.Spec.Containers[0].Env
                .ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal)))
            .ToList();
        Assert.NotEmpty(deployments);
        return (config, deployments);
    }

    /// <summary>
    /// Where local wiring from <paramref name="local"/> and the rendered Deployments disagree: a Downstream or PG variable
    /// only one of them sets, or a Downstream variable pointing at another service (the host's first label).
    /// </summary>
    private static IReadOnlyList<string> Differences(AppTopology local, IReadOnlyList<(AppService Service, IReadOnlyDictionary<string, string?> Variables)> rendered)
    {
        static bool Wiring(string variable) => variable.StartsWith("Downstream__", StringComparison.Ordinal) || DatabaseVariables.Contains(variable);
        var differences = new List<string>();
        foreach (var (service, variables) in rendered.DistinctBy(d => d.Service.Name))
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
