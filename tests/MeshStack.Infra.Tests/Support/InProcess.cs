using MeshStack.Cli;
using MeshStack.Topology;

namespace MeshStack.Tests.Support;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the command line in process with a chosen environment and working directory.</summary>
public static class InProcess
{
    public static CliResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Run(EcommerceApp.Declare(), workingDirectory, environment, args);

    /// <summary>The command line of a host that declares <paramref name="application"/>, as its Program.cs runs it.</summary>
    public static CliResult Run(AppTopology application, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var env = environment ?? new Dictionary<string, string>();
        var code = new CommandLine(stdout, stderr, k => env.GetValueOrDefault(k), workingDirectory, application).Run(args);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
