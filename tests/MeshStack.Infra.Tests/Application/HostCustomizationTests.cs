using k8s.Models;
using MeshStack.Cli;
using MeshStack.Synthesis;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Application;

/// <summary>A host's patches (MeshStackHost.Run's customizations) reach every verb: the program Pulumi runs, and check.</summary>
public class HostCustomizationTests
{
    private static CliResult Run(StackCustomizations customizations, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = new CommandLine(stdout, stderr, _ => null, Repo.Root, EcommerceApp.Declare(), customizations).Run(args);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void A_host_patch_is_in_the_program_pulumi_runs()
    {
        var patched = new StackCustomizations().Customize<V1Deployment>("order",
            d => d.Spec.Template.Metadata.Annotations = new Dictionary<string, string> { ["example.com/team"] = "payments" });
        var result = Run(patched, "program");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("example.com/team: \"payments\"", result.Stdout);
        Assert.DoesNotContain("example.com/team", Run(new StackCustomizations(), "program").Stdout);
    }

    [Fact]
    public void A_patch_naming_nothing_fails_the_run_and_names_it()
    {
        var typo = new StackCustomizations().Customize<V1Deployment>("ordr", d => d.Metadata.Labels["x"] = "y");
        var result = Run(typo, "program");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ordr", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Check_runs_on_the_patched_render()
    {
        // running order as root is what the policy pack refuses: the analysis sees the patch
        var root = new StackCustomizations().Customize<V1Deployment>("order", d => d.Spec.Template.Spec.SecurityContext.RunAsUser = 0);
        var result = Run(root, "check", "dev");
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("order", result.Stdout);
    }
}
