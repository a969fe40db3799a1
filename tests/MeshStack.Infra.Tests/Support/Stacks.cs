using System.Text.Json.Nodes;
using MeshStack.Cli;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Output;
using MeshStack.Synthesis;
using MeshStack.Topology;

namespace MeshStack.Tests.Support;

/// <summary>Builds graphs and programs in process, from the repository's stack files or from inline YAML.</summary>
public static class Stacks
{
    public static StackConfig Config(string stack) => StackConfigBinder.Bind(stack, StackFile.Load(Repo.StackFile(stack)), EcommerceApp.Declare());

    public static ResourceGraph Graph(string stack) => StackSynthesizer.Synthesize(Config(stack));

    public static EmittedStack Emit(string stack) => StackInput.FromFile(Repo.StackFile(stack), EcommerceApp.Declare()).Emit();

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

    /// <summary>The stack files' dev and prod, each with the other mesh swapped in: all four combinations.</summary>
    public static TheoryData<string, string> StacksAndMeshes => new()
    {
        { "dev", "linkerd" }, { "dev", "istio" }, { "prod", "linkerd" }, { "prod", "istio" },
    };

    public static ResourceGraph Graph(string stack, string mesh) => GraphFromYaml(WithMesh(File.ReadAllText(Repo.StackFile(stack)), mesh));

    /// <summary>Stack file text with its mesh swapped; networks and locality failover are Istio's, so a Linkerd stack drops them.</summary>
    public static string WithMesh(string stackYaml, string mesh)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(stackYaml, @"mesh-stack:mesh: \w+", $"mesh-stack:mesh: {mesh}");
        return mesh == "linkerd" ? System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^ +(network|failover): .*\n", "") : text;
    }
}
