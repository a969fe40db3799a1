using MeshStack.Cli;
using MeshStack.Topology;

namespace MeshStack.Hosting;

/// <summary>
/// The front door of a host: its <c>Program.cs</c> declares the application and hands it here, and MeshStack runs the
/// command line on it (<c>program</c> for Pulumi, <c>render</c>, <c>check</c>, <c>explain</c>). A stack's
/// <c>mesh-stack:app</c> replaces the host's application.
/// </summary>
public static class MeshStackHost
{
    public static int Run(string[] args, AppTopology application) =>
        new CommandLine(Console.Out, Console.Error, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory(), application).Run(args);
}
