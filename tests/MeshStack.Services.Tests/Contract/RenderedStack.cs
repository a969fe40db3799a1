using k8s.Models;
using MeshStack.Config;
using MeshStack.LocalRun;
using MeshStack.Synthesis;
using MeshStack.Topology;

namespace MeshStack.Services.Tests;

/// <summary>A service's Deployment in a render: its environment variables by name.</summary>
public sealed record RenderedService(AppService Service, IReadOnlyDictionary<string, string?> Variables)
{
    /// <summary>The rendered variables whose names start with <paramref name="prefix"/>, as configuration keys.</summary>
    public Dictionary<string, string?> Settings(string prefix) =>
        Variables.Where(v => v.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(v => LocalWiring.ConfigurationKey(v.Key), v => v.Value, StringComparer.Ordinal);
}

/// <summary>
/// A render of one of the repository's stacks (<c>Pulumi.&lt;stack&gt;.yaml</c>) with the services' topology, in
/// process: what the infra would give each service's Deployment (the first cluster that runs it).
/// </summary>
public sealed record RenderedStack(StackConfig Config, IReadOnlyList<RenderedService> Services)
{
    public RenderedService this[string service] =>
        Services.FirstOrDefault(s => s.Service.Name == service) ?? throw new ArgumentException($"the render has no Deployment of '{service}'", nameof(service));

    public static RenderedStack Of(string stack)
    {
        var topology = TestStack.Topology;
        var config = StackConfigBinder.Bind(stack, StackFile.Load(Path.Combine(Repository.Root(), $"Pulumi.{stack}.yaml")), topology);
        var services = StackSynthesizer.Synthesize(config).Resources
            .Select(r => r.Inputs).OfType<V1Deployment>()
            .Where(d => topology.Services.Any(s => s.Name == d.Metadata.Name))
            .Select(d => new RenderedService(topology.Service(d.Metadata.Name), d.Spec.Template.Spec.Containers[0].Env
                .ToDictionary(e => e.Name, e => (string?)e.Value, StringComparer.Ordinal)))
            .DistinctBy(s => s.Service.Name)
            .ToList();
        return new RenderedStack(config, services);
    }
}
