using System.Text;
using DiffPlex.Renderer;
using MeshStack.Output;

namespace MeshStack.Tests.Support;

/// <summary>
/// A checked-in render of a fixture stack (<c>Golden/&lt;fixture&gt;/Main.yaml</c> and <c>manifests/&lt;cluster&gt;/*.yaml</c>,
/// the files <c>render</c> writes), compared byte for byte with what the synthesizer emits now. A change to the
/// render shows as a unified diff here and in review; <see cref="RefreshCommand"/> rewrites the snapshots.
/// </summary>
public sealed record GoldenRender(string Fixture, string Folder)
{
    public const string UpdateVariable = "MESHSTACK_UPDATE_GOLDEN";

    public const string RefreshCommand = $"{UpdateVariable}=1 dotnet test tests/MeshStack.Infra.Tests --filter FullyQualifiedName~GoldenRender";

    /// <summary>How many lines of unified diff a failure shows.</summary>
    public const int DiffLines = 80;

    public static string Root { get; } = Path.Combine(Repo.Root, "tests", "MeshStack.Infra.Tests", "Golden");

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>A corpus entry's snapshot: <c>stack:prod</c> in <c>Golden/prod</c>, <c>generated:istio-3-cluster</c> in <c>Golden/generated-istio-3-cluster</c>.</summary>
    public static GoldenRender Of(string corpusName)
    {
        var fixture = corpusName.StartsWith("stack:", StringComparison.Ordinal) ? corpusName["stack:".Length..] : corpusName.Replace(':', '-');
        return new GoldenRender(fixture, Path.Combine(Root, fixture));
    }

    /// <summary>The files of a render as <c>render</c> writes them, by path relative to the render folder ('/'-separated).</summary>
    public static SortedDictionary<string, string> Files(EmittedStack emitted)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["Main.yaml"] = emitted.ProgramYaml };
        foreach (var m in emitted.Manifests) files[$"manifests/{m.Cluster}/{m.FileName}"] = m.Yaml;
        return files;
    }

    /// <summary>Replaces the snapshot with <paramref name="emitted"/>.</summary>
    public void Write(EmittedStack emitted)
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        foreach (var (path, text) in Files(emitted))
        {
            var file = Path.Combine(Folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }
    }

    /// <summary>Null when the snapshot holds exactly these files with these bytes; else what differs, with a unified diff.</summary>
    public string? Compare(EmittedStack emitted)
    {
        var actual = Files(emitted);
        var expected = Directory.Exists(Folder)
            ? Directory.GetFiles(Folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(Folder, f).Replace('\\', '/'), f => f, StringComparer.Ordinal)
            : [];
        var missing = actual.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        var extra = expected.Keys.Where(k => !actual.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var changed = actual.Where(a => expected.TryGetValue(a.Key, out var f) && !File.ReadAllBytes(f).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(a.Value))).Select(a => a.Key).ToList();
        if (missing.Count + extra.Count + changed.Count == 0) return null;

        var report = new StringBuilder();
        report.AppendLine($"the render of {Fixture} differs from its golden snapshot tests/MeshStack.Infra.Tests/Golden/{Fixture}: "
            + $"{changed.Count} changed, {missing.Count} new, {extra.Count} gone");
        report.AppendLine($"if the change is intended, refresh the snapshots and review their diff: {RefreshCommand}");
        foreach (var path in missing.Take(10)) report.AppendLine($"new: {path}");
        foreach (var path in extra.Take(10)) report.AppendLine($"gone: {path}");
        var diff = new StringBuilder();
        var renderer = new UnidiffRenderer(contextLines: 3);
        foreach (var path in changed)
        {
            var text = renderer.Generate(File.ReadAllText(expected[path]), actual[path], $"golden/{path}", $"render/{path}", ignoreWhitespace: false);
            diff.Append(text.Length > 0 ? text : $"--- golden/{path}\n+++ render/{path}\n(differs only in line endings or a trailing newline)\n");
        }
        var lines = diff.ToString().Split('\n');
        report.AppendJoin('\n', lines.Take(DiffLines));
        if (lines.Length > DiffLines) report.Append($"\n... {lines.Length - DiffLines} more lines of diff");
        return report.ToString();
    }
}
