using System.Collections.Concurrent;
using Marketplace.AppHost;
using MeshStack.Cli;
using MeshStack.Config;
using MeshStack.Output;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Application;

/// <summary>
/// The marketplace test application (tests/Fixtures): its stack files, each declaring the app as <c>mesh-stack:app</c>
/// (its last key), and the two ways to render one: (a) through the marketplace's own C# host (its command line on
/// the app its C# declares, in process; <see cref="HostProcess"/> runs the built host itself), with
/// <c>mesh-stack:app</c> cut from the file, and (b) through the ecommerce host in process, the stack's app replacing it.
/// Renders are made once per test run.
/// </summary>
public static class Marketplace
{
    public static readonly string[] Stacks = ["market-istio-1", "market-istio-3", "market-linkerd-1", "market-linkerd-3"];

    public static TheoryData<string> StackNames => [.. Stacks];

    public const string Host = "Marketplace.AppHost";
    private const string AppKey = "  mesh-stack:app:";

    public static string StackFile(string stack) => Path.Combine(Repo.Root, "tests", "Fixtures", "Marketplace", $"Pulumi.{stack}.yaml");

    /// <summary>The stack file as written: the app declared in config.</summary>
    public static string WithApp(string stack) => File.ReadAllText(StackFile(stack));

    /// <summary>The stack file without <c>mesh-stack:app</c> (from its key, and the comment lines just above it, to the end).</summary>
    public static string WithoutApp(string stack)
    {
        var lines = WithApp(stack).Split('\n').ToList();
        var at = lines.IndexOf(AppKey);
        Assert.True(at > 0, $"{stack}: no '{AppKey}' line");
        // the app must be the last key: everything after it is indented below it
        Assert.All(lines.Skip(at + 1).Where(l => l.Length > 0), l => Assert.StartsWith("    ", l));
        while (lines[at - 1].TrimStart().StartsWith('#')) at--;
        return string.Join('\n', lines.Take(at)) + "\n";
    }

    private static readonly ConcurrentDictionary<string, Lazy<string>> Renders = new(StringComparer.Ordinal);

    /// <summary>(a): the render directory of the marketplace host on the stack without <c>mesh-stack:app</c>.</summary>
    public static string HostRender(string stack) => Renders.GetOrAdd("host:" + stack, _ => new(() =>
    {
        var (dir, file) = Write(stack, WithoutApp(stack));
        var outDir = Path.Combine(dir, "out");
        var result = HostRun(dir, "render", "--config", file, "--out", outDir);
        Assert.True(result.ExitCode == 0, $"{stack} through {Host}: exit {result.ExitCode}\n{result.Stderr}");
        return outDir;
    })).Value;

    /// <summary>
    /// The marketplace host's command line in process: what its Program.cs runs (<c>MeshStackHost.Run(args,
    /// MarketplaceApp.Declare())</c>), without a process start and a cold JIT per call.
    /// </summary>
    public static CliResult HostRun(string workingDirectory, params string[] args) =>
        InProcess.Run(MarketplaceApp.Declare(), workingDirectory, null, args);

    /// <summary>The built marketplace host as a process (its own Program.cs, Main and exit code).</summary>
    public static CliResult HostProcess(string workingDirectory, params string[] args) =>
        InfraProcess.Run(workingDirectory, null, args, host: Host);

    /// <summary>(b): the render directory of the ecommerce host, in process, on the stack file with <c>mesh-stack:app</c>.</summary>
    public static string ConfigRender(string stack) => Renders.GetOrAdd("config:" + stack, _ => new(() => Render(stack, WithApp(stack)))).Value;

    /// <summary>A render through the ecommerce host of <paramref name="yaml"/>, saved as the stack file of <paramref name="stack"/>.</summary>
    public static string Render(string stack, string yaml)
    {
        var (dir, file) = Write(stack, yaml);
        var outDir = Path.Combine(dir, "out");
        var result = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);
        Assert.True(result.ExitCode == 0, $"{stack} with mesh-stack:app: exit {result.ExitCode}\n{result.Stderr}");
        return outDir;
    }

    public static (string Dir, string File) Write(string stack, string yaml)
    {
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, $"Pulumi.{stack}.yaml");
        File.WriteAllText(file, yaml);
        return (dir, file);
    }

    /// <summary>The bound config of the stack file (its <see cref="StackConfig.App"/> is the declared marketplace).</summary>
    public static StackConfig Config(string stack) => StackInput.FromFile(StackFile(stack), EcommerceApp.Declare()).Bind();

    /// <summary>The emitted stack of the stack file, in process.</summary>
    public static EmittedStack Emit(string stack) => StackInput.FromFile(StackFile(stack), EcommerceApp.Declare()).Emit();
}
