using System.Text.Json.Nodes;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.EngineContract;

/// <summary>
/// Secrets reach the program only as references. The compiler is handed decrypted values and never told which keys
/// are secret (pulumi-yaml pkg/server/server.go 211-221 builds PULUMI_CONFIG from every key; ConfigSecretKeys is applied
/// by the runtime afterwards, 270-272), so anything it inlines is stored in plain text in the state. The program must
/// declare the key as a secret string under config: and use ${key}, wrapped in fn::secret where the field is not secret.
/// </summary>
public class SecretConfigTests
{
    private const string Sentinel = "apiVersion: v1\nkind: Config\n# meshstack-secret-sentinel\n";

    /// <summary>The problems of one program with regard to a secret config key and its decrypted value.</summary>
    public static IEnumerable<string> SecretProblems(string programYaml, string key, string value)
    {
        if (programYaml.Contains("meshstack-secret-sentinel", StringComparison.Ordinal) || programYaml.Contains(value, StringComparison.Ordinal))
            yield return $"the decrypted value of {key} appears in the program text";
        var program = ProgramDocument.Parse(programYaml);
        var decl = program.Root["config"]?[key];
        if (decl?["type"]?.GetValue<string>() != "string" || decl["secret"]?.GetValue<bool>() != true)
            yield return $"config.{key}: not declared as a secret string";
        foreach (var (name, node) in program.Resources.Where(r => r.Value!["type"]!.GetValue<string>() == "pulumi:providers:kubernetes"))
        {
            var kubeconfig = node!["properties"]?["kubeconfig"];
            if (kubeconfig?["fn::secret"]?.GetValue<string>() != $"${{{key}}}")
                yield return $"{name}.properties.kubeconfig: is {kubeconfig?.ToJsonString() ?? "missing"}, not fn::secret of ${{{key}}}";
        }
    }

    private static CliResult ProgramWithSecret(StackCorpus.Entry entry)
    {
        var file = Path.Combine(Repo.TempDir(), "Pulumi.stack.yaml");
        File.WriteAllText(file, entry.Yaml);
        var config = JsonNode.Parse(EngineConfig.FromStackFile(file))!.AsObject();
        config["mesh-stack:kubeconfig"] = Sentinel;
        var stack = entry.StackName;
        return InProcess.Run(Repo.Root, new Dictionary<string, string>
        {
            ["PULUMI_STACK"] = stack,
            ["PULUMI_PROJECT"] = Compiler.ProjectName,
            ["PULUMI_CONFIG"] = config.ToJsonString(),
        }, "program");
    }

    [Theory]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void A_secret_kubeconfig_reaches_every_provider_by_reference_and_never_as_text(string name)
    {
        var run = ProgramWithSecret(StackCorpus.Get(name));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.DoesNotContain("meshstack-secret-sentinel", run.Stderr);
        var problems = SecretProblems(run.Stdout, "kubeconfig", Sentinel).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void A_secret_inlined_into_a_provider_is_caught()
    {
        var run = ProgramWithSecret(StackCorpus.Get("stack:dev"));
        Assert.Empty(SecretProblems(run.Stdout, "kubeconfig", Sentinel));
        var inlined = run.Stdout.Replace("\"fn::secret\": \"${kubeconfig}\"", "\"fn::secret\": \"apiVersion: v1 # meshstack-secret-sentinel\"", StringComparison.Ordinal);
        Assert.NotEqual(run.Stdout, inlined);
        var problems = SecretProblems(inlined, "kubeconfig", Sentinel).ToList();
        Assert.Contains(problems, p => p.Contains("appears in the program text", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("k8s-dev.properties.kubeconfig", StringComparison.Ordinal));
    }
}
