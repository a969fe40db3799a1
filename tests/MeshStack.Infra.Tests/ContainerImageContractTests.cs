using System.Diagnostics;
using System.Text.Json;
using k8s.Models;
using MeshStack.Config;
using MeshStack.Tests.Support;
using MeshStack.Topology;
using MeshStack.Workloads;

namespace MeshStack.Tests;

/// <summary>
/// The images the graph deploys are the images the services publish: each service project's container settings, as
/// the SDK computes them for <c>dotnet publish -t:PublishContainer</c> (no registry is contacted to compute them),
/// name <c>&lt;registry&gt;/&lt;service&gt;:&lt;tag&gt;</c> exactly as <see cref="ImagesConfig.For"/> does, listen on the port
/// the Deployment probes, and run as the non-root user the pod security context names.
/// </summary>
public class ContainerImageContractTests
{
    /// <summary>The infra's images.registry: a host and a path, as <c>ghcr.io/meshstack</c> is.</summary>
    private const string Registry = "registry.example.com/shop";
    private const string Tag = "1.2.3";

    private sealed record ContainerSettings(string Project, string Repository, string Registry, string Tag, string User, string BaseImage,
        IReadOnlyList<string> Ports, IReadOnlyDictionary<string, string> Environment);

    private static ContainerSettings Compute(string project)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     "msbuild", project, "-nologo", "-t:ComputeContainerConfig",
                     // as services/README.md says to publish: the host as registry, the path as the image namespace
                     $"-p:ContainerRegistry={Registry.Split('/', 2)[0]}", $"-p:ImageNamespace={Registry.Split('/', 2)[1]}", $"-p:ContainerImageTag={Tag}",
                     "-getProperty:ContainerRepository", "-getProperty:ContainerRegistry", "-getProperty:ContainerImageTag",
                     "-getProperty:ContainerUser", "-getProperty:ContainerBaseImage",
                     "-getItem:ContainerPort", "-getItem:ContainerEnvironmentVariables",
                 }) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dotnet msbuild {project}: exit {process.ExitCode}\n{stdout.Result}\n{stderr.Result}");
        using var json = JsonDocument.Parse(stdout.Result);
        var properties = json.RootElement.GetProperty("Properties");
        var items = json.RootElement.GetProperty("Items");
        string Property(string name) => properties.GetProperty(name).GetString() ?? "";
        return new ContainerSettings(
            Path.GetFileName(Path.GetDirectoryName(project)!),
            Property("ContainerRepository"), Property("ContainerRegistry"), Property("ContainerImageTag"),
            Property("ContainerUser"), Property("ContainerBaseImage"),
            [.. items.GetProperty("ContainerPort").EnumerateArray().Select(p => $"{p.GetProperty("Identity").GetString()}/{p.GetProperty("Type").GetString()}")],
            items.GetProperty("ContainerEnvironmentVariables").EnumerateArray()
                .ToDictionary(e => e.GetProperty("Identity").GetString()!, e => e.GetProperty("Value").GetString()!));
    }

    /// <summary>Every deployable service project: those that set a container repository.</summary>
    private static IEnumerable<string> ServiceProjects() =>
        Directory.GetFiles(Path.Combine(Repo.Root, "services"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => File.ReadAllText(p).Contains("<ContainerRepository>", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    [Fact]
    public void Every_service_the_topology_deploys_publishes_the_image_port_and_user_its_deployment_expects()
    {
        var topology = EcommerceApp.Declare();
        var images = new ImagesConfig(Registry, Tag);
        var published = ServiceProjects().Select(Compute).ToDictionary(s => s.Repository.Split('/')[^1]);

        Assert.Equal(topology.Services.Select(s => s.Name).Order(StringComparer.Ordinal), published.Keys.Order(StringComparer.Ordinal));
        foreach (var service in topology.Services)
        {
            var c = published[service.Name];
            Assert.Equal(images.For(service.Name), $"{c.Registry}/{c.Repository}:{c.Tag}");
            Assert.Equal([$"{service.Port}/tcp"], c.Ports);
            Assert.Equal(service.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Environment["ASPNETCORE_HTTP_PORTS"]);
            // the chiseled images' "app" user is the UID the pod's security context runs as (runAsNonRoot)
            Assert.Equal("app", c.User);
            Assert.EndsWith("-chiseled", c.BaseImage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_deployment_runs_the_published_image_as_that_user_on_that_port()
    {
        var graph = Stacks.Graph("prod");
        var config = Stacks.Config("prod");
        foreach (var service in EcommerceApp.Declare().Services)
        {
            var pod = graph[$"east-{service.Name}-deployment"].As<V1Deployment>().Spec.Template.Spec;
            var container = pod.Containers.Single(c => c.Name == service.Name);
            var expected = config.Traffic.Canary is { Automated: true } canary && canary.Service == service.Name
                ? $"{config.Images.Registry}/{service.Name}:{canary.ImageTag}" : config.Images.For(service.Name);
            Assert.Equal(expected, container.Image);
            Assert.Equal(service.Port, container.Ports.Single(p => p.Name == "http").ContainerPort);
            Assert.Equal((true, service.RunAsUser), (pod.SecurityContext.RunAsNonRoot!.Value, pod.SecurityContext.RunAsUser!.Value));
        }
    }
}
