using MeshStack.Tests.Support;

namespace MeshStack.Tests.Golden;

/// <summary>
/// The render of each fixture stack (the repository's four stacks as the tests' fixtures, and a generated 3-cluster
/// stack per mesh) equals its checked-in snapshot byte for byte, so every change to what MeshStack emits is visible
/// as a diff in review. Refresh with <see cref="GoldenRender.RefreshCommand"/>.
/// </summary>
public class GoldenRenderTests
{
    private static IEnumerable<string> FixtureNames =>
        [.. StackFixtures.Names.Select(n => $"stack:{n}"), "generated:istio-3-cluster", "generated:linkerd-3-cluster"];

    public static TheoryData<string> Fixtures => [.. FixtureNames];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_render_equals_its_golden_snapshot(string name)
    {
        var golden = GoldenRender.Of(name);
        var emitted = CorpusRender.Of(name);
        if (GoldenRender.Updating) golden.Write(emitted);
        var difference = golden.Compare(emitted);
        Assert.True(difference is null, difference);
    }

    [Fact]
    public void Every_snapshot_folder_belongs_to_a_fixture()
    {
        var known = FixtureNames.Select(n => GoldenRender.Of(n).Folder).ToHashSet(StringComparer.Ordinal);
        var stale = Directory.GetDirectories(GoldenRender.Root).Where(d => !known.Contains(d)).ToList();
        if (GoldenRender.Updating) stale.ForEach(d => Directory.Delete(d, recursive: true));
        else Assert.True(stale.Count == 0, $"snapshot folders of no fixture: {string.Join(", ", stale.Select(Path.GetFileName))}; delete them or run {GoldenRender.RefreshCommand}");
    }

    /// <summary>Seeded faults: a changed line, a new manifest and a gone one are each reported, with the diff and the refresh command.</summary>
    [Fact]
    public void A_changed_render_is_reported_with_a_unified_diff_and_the_refresh_command()
    {
        var emitted = CorpusRender.Of("stack:dev");
        var golden = new GoldenRender("dev-seeded", Path.Combine(Repo.TempDir(), "dev-seeded"));
        golden.Write(emitted);
        Assert.Null(golden.Compare(emitted));

        var first = emitted.Manifests[0];
        var gone = emitted.Manifests[1];
        var seeded = emitted with
        {
            ProgramYaml = emitted.ProgramYaml.Replace("name: \"mesh-stack\"\n", "name: \"mesh-stack-seeded\"\n", StringComparison.Ordinal),
            Manifests = [.. emitted.Manifests.Where(m => m != gone), new MeshStack.Output.ManifestFile(first.Cluster, "seeded-new.yaml", "kind: Seeded\n")],
        };
        var report = golden.Compare(seeded);
        Assert.NotNull(report);
        Assert.Contains("1 changed, 1 new, 1 gone", report, StringComparison.Ordinal);
        Assert.Contains(GoldenRender.RefreshCommand, report, StringComparison.Ordinal);
        Assert.Contains("--- golden/Main.yaml", report, StringComparison.Ordinal);
        Assert.Contains("-name: \"mesh-stack\"\n", report, StringComparison.Ordinal);
        Assert.Contains("+name: \"mesh-stack-seeded\"\n", report, StringComparison.Ordinal);
        Assert.Contains($"new: manifests/{first.Cluster}/seeded-new.yaml", report, StringComparison.Ordinal);
        Assert.Contains($"gone: manifests/{gone.Cluster}/{gone.FileName}", report, StringComparison.Ordinal);
    }
}
