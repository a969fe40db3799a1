using MeshStack.Tests.Analysis;
using MeshStack.Tests.EngineContract;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Fixtures;

/// <summary>
/// A routine edit of a repository stack file, as the README documents it, breaks no test. The tests that assert a
/// stack's values read their own fixtures (<see cref="StackFixtures"/>), so the repository's files reach only tests of
/// behaviour: the corpus (as a <c>repo:</c> entry once the file differs from its fixture) and this class. Here each
/// documented edit is applied to a copy of the repository's file, and the copy must (a) check with 0 errors and
/// 0 warnings, as the README promises for the repository's stacks, (b) keep every engine rule, and (c) pass the
/// assertions that used to pin the edited values, whose expectations now come from the bound config.
/// </summary>
public class RoutineEditTests
{
    public static TheoryData<string> Edits => [.. RoutineEdit.Documented.Select(e => e.Name)];

    private static (string File, string Yaml) EditedCopy(string name)
    {
        var edit = RoutineEdit.Documented.Single(e => e.Name == name);
        var original = File.ReadAllText(Repo.StackFile(edit.Stack));
        var edited = edit.Apply(original);
        Assert.NotEqual(original, edited);
        var file = Path.Combine(Repo.TempDir(), $"Pulumi.{edit.Stack}.yaml");
        File.WriteAllText(file, edited);
        return (file, edited);
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public void The_edited_stack_checks_clean_and_keeps_every_engine_rule(string name)
    {
        var (file, _) = EditedCopy(name);
        var stack = RoutineEdit.Documented.Single(e => e.Name == name).Stack;
        var check = InProcess.Run(Path.GetDirectoryName(file)!, null, "check", "--config", file);
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        Assert.Contains($"checked {stack}: 0 errors, 0 warnings", check.Stderr, StringComparison.Ordinal);

        var emitted = Stacks.EmitFile(file).ProgramYaml;
        // the edit reached the program (else the checks below would prove nothing about it)
        Assert.NotEqual(Stacks.EmitRepositoryStack(stack).ProgramYaml, emitted);
        var program = ProgramDocument.Parse(emitted);
        foreach (var rule in EngineRules.All)
        {
            var problems = rule.Check(program).ToList();
            Assert.True(problems.Count == 0, $"{rule.Id}: {string.Join("\n", problems)}");
        }
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public void The_canary_assertions_follow_the_edited_config(string name)
    {
        var (file, yaml) = EditedCopy(name);
        var canary = Stacks.ConfigOfFile(file).Traffic.Canary;
        Assert.NotNull(canary);
        if (canary.Automated)
        {
            ProgressiveDeliveryTests.AssertDeliveredDeployment(yaml);
            return;
        }
        foreach (var mesh in new[] { "istio", "linkerd" })
            TrafficGraphTests.AssertStaticCanary(Stacks.WithMesh(yaml, mesh), mesh);
        if (yaml.Contains("mesh-stack:mesh: istio", StringComparison.Ordinal)) ExplainTests.AssertIstioCanaryExplained(file);
    }

    /// <summary>
    /// Seeded fault: the canary assertion with the expectations of the unedited file (what a pinned test asserts) fails
    /// on the edited render, so the edit reaches what those tests read, and a test still pinning it would be caught.
    /// </summary>
    [Fact]
    public void Expectations_of_the_unedited_file_fail_on_the_render_of_the_weight_edit()
    {
        var edit = RoutineEdit.Documented.Single(e => e.Name.Contains("canary weight", StringComparison.Ordinal));
        var (_, yaml) = EditedCopy(edit.Name);
        var unedited = Stacks.ConfigFromYaml(File.ReadAllText(Repo.StackFile(edit.Stack)));
        var edited = Stacks.GraphFromYaml(yaml);
        var mesh = yaml.Contains("mesh-stack:mesh: istio", StringComparison.Ordinal) ? "istio" : "linkerd";
        TrafficGraphTests.AssertStaticCanary(Stacks.ConfigFromYaml(yaml), edited, mesh);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => TrafficGraphTests.AssertStaticCanary(unedited, edited, mesh));
    }
}
