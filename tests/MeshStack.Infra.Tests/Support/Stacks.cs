using System.Text.Json.Nodes;
using MeshStack.Cli;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Output;
using MeshStack.Synthesis;
using MeshStack.Topology;

namespace MeshStack.Tests.Support;

/// <summary>Builds graphs and programs in process, from the tests' fixture stacks (<see cref="StackFixtures"/>) or from inline YAML.</summary>
public static class Stacks
{
    public static StackConfig Config(string stack) => ConfigOfFile(StackFixtures.File(stack));

    /// <summary>A stack file bound as the CLI binds it (its stack name from the file name), with the ecommerce application.</summary>
    public static StackConfig ConfigOfFile(string path)
    {
        var input = StackInput.FromFile(path, EcommerceApp.Declare());
        return StackConfigBinder.Bind(input.Stack, input.Raw, EcommerceApp.Declare());
    }

    public static ResourceGraph Graph(string stack) => StackSynthesizer.Synthesize(Config(stack));

    public static EmittedStack Emit(string stack) => StackInput.FromFile(StackFixtures.File(stack), EcommerceApp.Declare()).Emit();

    /// <summary>The repository's own stack file emitted, for tests of what the compiler prints from the repository (no values asserted).</summary>
    public static EmittedStack EmitRepositoryStack(string stack) => EmitFile(Repo.StackFile(stack));

    /// <summary>Any stack file emitted with the ecommerce application (its stack name from the file name).</summary>
    public static EmittedStack EmitFile(string path) => StackInput.FromFile(path, EcommerceApp.Declare()).Emit();

    /// <summary>A stack from YAML text (the body of a Pulumi.&lt;stack&gt;.yaml file).</summary>
    public static StackInput FromYaml(string yaml, string stack = "test")
    {
        var dir = Repo.TempDir();
        var path = Path.Combine(dir, $"Pulumi.{stack}.yaml");
        File.WriteAllText(path, yaml);
        return StackInput.FromFile(path, EcommerceApp.Declare());
    }

    public static StackConfig ConfigFromYaml(string yaml) => StackConfigBinder.Bind("test", FromYaml(yaml).Raw, EcommerceApp.Declare());

    public static ResourceGraph GraphFromYaml(string yaml) => StackSynthesizer.Synthesize(ConfigFromYaml(yaml));

    public static JsonObject Props(Resource r) => InputSerializer.Properties(r);

    /// <summary>The fixture stacks' dev and prod, each with the other mesh swapped in: all four combinations.</summary>
    public static TheoryData<string, string> StacksAndMeshes => new()
    {
        { "dev", "linkerd" }, { "dev", "istio" }, { "prod", "linkerd" }, { "prod", "istio" },
    };

    public static ResourceGraph Graph(string stack, string mesh) => GraphFromYaml(WithMesh(StackFixtures.Text(stack), mesh));

    /// <summary>Stack file text with its mesh swapped; networks and locality failover are Istio's, so a Linkerd stack drops them.</summary>
    public static string WithMesh(string stackYaml, string mesh)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(stackYaml, @"mesh-stack:mesh: \w+", $"mesh-stack:mesh: {mesh}");
        return mesh == "linkerd" ? System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^ +(network|failover): .*\n", "") : text;
    }

    /// <summary>Stack file text with its static canary's weight replaced by <c>automated: true</c> (the rest of the canary stays).</summary>
    public static string WithAutomatedCanary(string stackYaml)
    {
        var automated = System.Text.RegularExpressions.Regex.Replace(stackYaml, @"(?m)^      weight: \d+\n", "      automated: true\n");
        return automated != stackYaml ? automated : throw new InvalidOperationException("the stack has no static canary weight to make automated");
    }
}
