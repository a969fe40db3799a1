using MeshStack.Tests.Support;

namespace MeshStack.Tests.EngineContract;

/// <summary>The corpus the engine-contract rules run over is itself sound: every entry synthesizes.</summary>
public class CorpusTests
{
    [Theory]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void Every_corpus_stack_synthesizes_a_program(string name)
    {
        var emitted = CorpusRender.Of(name);
        Assert.NotEmpty(emitted.Program["resources"]!.AsObject());
    }

    [Fact]
    public void The_corpus_covers_every_stack_file_and_both_meshes_on_one_to_three_clusters()
    {
        var names = StackCorpus.All.Select(e => e.Name).ToList();
        // each repository stack file as it is now: its fixture when the text is the same, else an entry of its own
        foreach (var file in Repo.StackFiles())
            Assert.Contains(StackCorpus.All, e => e.Yaml == File.ReadAllText(file) && e.StackName == Path.GetFileName(file)["Pulumi.".Length..^".yaml".Length]);
        foreach (var stack in StackFixtures.Names)
            Assert.Contains($"stack:{stack}", names);
        foreach (var mesh in new[] { "istio", "linkerd" })
            for (var n = 1; n <= 3; n++)
                Assert.Contains($"generated:{mesh}-{n}-cluster", names);
    }
}
