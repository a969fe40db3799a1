using MeshStack.Cli;
using MeshStack.Synthesis;
using MeshStack.Topology;

namespace MeshStack.Hosting;

/// <summary>
/// The front door of a host: its <c>Program.cs</c> declares the application and hands it here, and MeshStack runs the
/// command line on it (<c>program</c> for Pulumi, <c>render</c>, <c>check</c>, <c>explain</c>). A stack's
/// <c>mesh-stack:app</c> replaces the host's application.
/// </summary>
public static class MeshStackHost
{
    /// <param name="customizations">
    /// Typed patches on what MeshStack emits (<c>new StackCustomizations().Customize&lt;V1Deployment&gt;("order", d => ...)</c>):
    /// for what the model does not say; a patch that matches no emitted object fails the run.
    /// </param>
    public static int Run(string[] args, AppTopology application, StackCustomizations? customizations = null) =>
        new CommandLine(Console.Out, Console.Error, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory(), application, customizations).Run(args);
}
