using System.Text.RegularExpressions;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Synthesis;

/// <summary>
/// Everything mesh-specific lives in the mesh's folder (issue 15: adding a mesh is one new folder): outside Istio/,
/// Linkerd/, Meshes/ (where the mesh object is made) and the config binders, no code branches on <c>MeshKind.</c>;
/// components ask the mesh object for its slot instead.
/// </summary>
public partial class MeshFoldersTests
{
    private static readonly string[] AllowedFolders = ["Istio/", "Linkerd/", "Meshes/", "Config/"];

    /// <summary>Binders may validate mesh-specific keys.</summary>
    private static readonly string[] AllowedFiles = ["Traffic/TrafficConfigBinder.cs", "Security/SecurityConfigBinder.cs"];

    [GeneratedRegex(@"\bMeshKind\.")]
    private static partial Regex MeshKindMember();

    /// <summary>The files (relative to the project) that branch on the mesh's kind outside the mesh folders, with their line numbers.</summary>
    public static IEnumerable<string> Offenders(IEnumerable<(string Path, string Text)> files) =>
        Lines(files, MeshKindMember(), AllowedFiles.Contains);

    /// <summary>The code lines (not comments) matching <paramref name="pattern"/> outside the mesh folders and the exempt paths.</summary>
    private static IEnumerable<string> Lines(IEnumerable<(string Path, string Text)> files, Regex pattern, Func<string, bool> exempt) =>
        from file in files
        let path = file.Path.Replace('\\', '/')
        where !AllowedFolders.Any(path.StartsWith) && !exempt(path)
        from line in file.Text.Split('\n').Select((text, i) => (Text: text, Number: i + 1))
        where pattern.IsMatch(line.Text) && !line.Text.TrimStart().StartsWith("//", StringComparison.Ordinal)
        select $"{path}:{line.Number}";

    /// <summary>
    /// Synthesis folders (what the stack emits, outside the meshes' own) may not spell a mesh's annotations or API
    /// groups: a Linkerd annotation written by a neutral component lands on Istio stacks too. Analysis reads renders of
    /// either mesh (and checks render directories without a config), and the policy pack judges rendered objects: they
    /// are not synthesis and are not scanned.
    /// </summary>
    private static readonly string[] ReadersOfRenders = ["Analysis/", "Security/Policy/"];

    [GeneratedRegex(@"""[a-z.]*(linkerd|istio)\.io/")]
    private static partial Regex MeshVocabulary();

    public static IEnumerable<string> VocabularyOffenders(IEnumerable<(string Path, string Text)> files) =>
        Lines(files, MeshVocabulary(), path => ReadersOfRenders.Any(path.StartsWith));

    [Fact]
    public void No_synthesis_code_outside_the_mesh_folders_writes_a_meshs_annotations()
    {
        Assert.Empty(VocabularyOffenders(LibraryFiles()));
    }

    /// <summary>Seeded fault: the annotation the load tester and PostgreSQL used to set themselves is caught.</summary>
    [Fact]
    public void A_mesh_annotation_in_a_neutral_component_is_caught()
    {
        var files = new[]
        {
            ("Database/PostgresComponent.cs", "x\n    Annotations = new() { [\"config.linkerd.io/opaque-ports\"] = \"5432\" },\n"),
            ("Flagger/FlaggerLoadTester.cs", "[\"podAnnotations\"] = new JsonObject { [\"linkerd.io/inject\"] = \"enabled\" },\n"),
            ("Workloads/Note.cs", "[\"sidecar.istio.io/inject\"] = \"false\",\n"),
            ("Linkerd/LinkerdMesh.cs", "[\"config.linkerd.io/opaque-ports\"] = p,\n"),
            ("Analysis/Rules/Traffic/RouteTie.cs", "a.Key.Contains(\"linkerd.io/\")\n"),
        };
        Assert.Equal(["Database/PostgresComponent.cs:2", "Flagger/FlaggerLoadTester.cs:1", "Workloads/Note.cs:1"], VocabularyOffenders(files));
    }

    private static List<(string, string)> LibraryFiles()
    {
        var project = Path.Combine(Repo.Root, "infra", "MeshStack");
        return Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(project, f))
            .Where(f => !f.StartsWith("bin", StringComparison.Ordinal) && !f.StartsWith("obj", StringComparison.Ordinal))
            .Select(f => (f, File.ReadAllText(Path.Combine(project, f))))
            .ToList();
    }

    [Fact]
    public void No_code_outside_the_mesh_folders_switches_on_the_mesh_kind()
    {
        var files = LibraryFiles();
        Assert.NotEmpty(files);
        Assert.Empty(Offenders(files));
    }

    /// <summary>Seeded fault: a switch added to a component is caught; the same line in a mesh folder or a binder is not.</summary>
    [Fact]
    public void A_switch_added_outside_the_mesh_folders_is_caught()
    {
        const string branch = "        if (config.Mesh == MeshKind.Istio) return;\n";
        var files = new[]
        {
            ("Traffic/TrafficComponent.cs", "class A\n{\n" + branch + "}\n"),
            ("Istio/IstioMesh.cs", branch),
            ("Meshes/MeshCatalog.cs", branch),
            ("Traffic/TrafficConfigBinder.cs", branch),
            ("Observability/Note.cs", "// MeshKind.Istio is named in a comment only\n"),
        };

        Assert.Equal(["Traffic/TrafficComponent.cs:3"], Offenders(files));
    }
}
