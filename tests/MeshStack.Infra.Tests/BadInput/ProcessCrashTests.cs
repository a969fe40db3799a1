using System.Diagnostics;
using System.Text;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.BadInput;

/// <summary>
/// The inputs that used to abort the process (exit 134: an uncaught exception, or a stack overflow, which no catch can
/// stop) and the ones that took minutes and gigabytes, run as real processes: each exits 2 with file:line:column or
/// the key path, prints no stack trace, writes nothing, and the whole process ends in seconds.
/// </summary>
public class ProcessCrashTests
{
    private const string One = "config:\n  mesh-stack:mesh: istio\n  mesh-stack:clusters:\n    - name: east\n      context: ctx-east\n";

    public static TheoryData<string> Cases => [.. Inputs.Keys];

    private static readonly Dictionary<string, (Func<string> Yaml, string Expected)> Inputs = new()
    {
        ["unclosed flow sequence"] = (() => One + "  mesh-stack:replicas: [1, 2", "Pulumi.bad.yaml:6:24:"),
        ["non-scalar key"] = (() => "config:\n  ? [a, b]\n  : 1\n", "Pulumi.bad.yaml:2:5: a key must be a plain name"),
        ["lists nested 100000 deep"] = (() => One + "  mesh-stack:x: " + new string('[', 100_000) + new string(']', 100_000) + "\n", "Pulumi.bad.yaml:6:"),
        ["self-referencing alias"] = (() => One + "  mesh-stack:x: &a [*a]\n", "Pulumi.bad.yaml:6:21: alias *a is inside the value it names"),
        ["alias bomb 8 levels of 10"] = (() => One + "  mesh-stack:bomb:\n    l0: &l0 [x,x,x,x,x,x,x,x,x,x]\n"
            + string.Concat(Enumerable.Range(1, 8).Select(i => $"    l{i}: &l{i} [{string.Join(",", Enumerable.Repeat($"*l{i - 1}", 10))}]\n")), "expands to more than 10000 values"),
        ["a 5 MB key"] = (() => "config:\n  mesh-stack:" + new string('k', 5_000_000) + ": 1\n", "Pulumi.bad.yaml: is 5000025 bytes"),
        ["500 clusters"] = (() => "config:\n  mesh-stack:mesh: istio\n  mesh-stack:clusters:\n" + string.Concat(Enumerable.Range(0, 500).Select(i => $"    - {{name: c{i}, context: x{i}, server: \"https://c{i}.example.com\"}}\n")),
            "mesh-stack:clusters: has 500 items; at most 20 are allowed"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_process_exits_2_quickly_with_the_place_and_no_trace(string name)
    {
        var (yaml, expected) = Inputs[name];
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, "Pulumi.bad.yaml");
        File.WriteAllText(file, yaml(), new UTF8Encoding(false));
        var watch = Stopwatch.StartNew();
        var result = InfraProcess.Run(dir, null, ["render", "--config", file, "--out", Path.Combine(dir, "out")]);
        watch.Stop();

        Assert.True(result.ExitCode == 2, $"{name}: exit {result.ExitCode}\n{result.Stderr[..Math.Min(2000, result.Stderr.Length)]}");
        Assert.Contains(expected, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.True(result.Stderr.Length < 2000, $"{name}: {result.Stderr.Length} characters on stderr (the input echoed?)");
        Assert.Equal(["Pulumi.bad.yaml"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
        // whole-process bound, generous for a loaded machine: these took 17 s to 192 s before the limits
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{name}: {watch.Elapsed.TotalSeconds:F1} s");
    }
}
