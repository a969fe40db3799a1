using System.Text;
using MeshStack.Config;
using MeshStack.Tests.Support;
using Xunit.Abstractions;

namespace MeshStack.Tests.BadInput;

/// <summary>
/// Random mutations of the stack files' bytes (YAML punctuation, indentation, lines dropped, repeated or cut), and
/// of the PULUMI_CONFIG the engine would pass for them (run through <c>program</c>), run
/// in process within a time budget: whatever the input, no exception escapes the command line, the exit code is 0, 1
/// or 2, and a failed run leaves the render folder byte-identical. Mutations that are still valid config are only
/// bound after the first few renders (a render costs a hundred refusals). The seed is printed, and
/// MESHSTACK_FUZZ_SEED replays a run.
/// </summary>
public class RandomMutationFuzzTests(ITestOutputHelper output)
{
    // the budget caps a loaded machine, where fewer cases still count, but not fewer than MinCases (the fuzzer must have run)
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);
    private const int MaxCases = 3000;
    private const int MinCases = 200;
    private const int RenderedValid = 5;

    private static readonly string[] Fragments =
        ["[", "]", "{", "}", ":", ": ", ",", "-", "- ", "&a ", "*a", "!", "!!str ", "|", ">", "'", "\"", "#", "\t", "\n", "  ", "?", "%", "@", "`",
         "null", "~", "1e400", "-1", "0", "99999", "true", "\\u0000", "\u00e9", "\u202e", "---\n", "...\n", "<<: *a", "mesh-stack:", "secure: x"];

    [Fact]
    public void Random_mutations_never_crash_exit_0_1_or_2_and_write_nothing_on_failure()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MESHSTACK_FUZZ_SEED"), out var s) ? s : Environment.TickCount;
        output.WriteLine($"seed {seed} (MESHSTACK_FUZZ_SEED={seed} replays this run)");
        var random = new Random(seed);
        var sources = MutatedCases.Stacks.Select(stack => File.ReadAllText(Repo.StackFile(stack))).ToArray();
        var engineSources = MutatedCases.Stacks.Select(stack => EngineConfig.FromStackFile(Repo.StackFile(stack))).ToArray();

        var dir = Repo.TempDir();
        var file = Path.Combine(dir, "Pulumi.fuzz.yaml");
        var outDir = Path.Combine(dir, "out");
        File.WriteAllText(file, sources[0]);
        Assert.Equal(0, InProcess.Run(dir, null, "render", "--config", file, "--out", outDir).ExitCode);
        var before = FolderSnapshot.Of(outDir);
        var beforeStat = FolderSnapshot.Of(outDir, contents: false);

        var exits = new int[3];
        var valid = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var cases = 0;
        for (; cases < MaxCases && watch.Elapsed < Budget; cases++)
        {
            if (cases % 4 == 3)
            {
                // every fourth case is the engine's PULUMI_CONFIG for `program`, which writes nothing at all
                var json = Encoding.UTF8.GetString(Mutate(engineSources[random.Next(engineSources.Length)], random));
                if (IsValidEngineConfig(json) && ++valid > RenderedValid) continue;
                var run = InProcess.Run(dir, new Dictionary<string, string> { ["PULUMI_STACK"] = "fuzz", ["PULUMI_CONFIG"] = json }, "program");
                Assert.True(run.ExitCode is 0 or 1 or 2, $"case {cases} (seed {seed}): program exit {run.ExitCode}\n{run.Stderr}\ninput: {json}");
                Assert.DoesNotContain("   at ", run.Stderr);
                if (run.ExitCode != 0) Assert.Empty(run.Stdout);
                exits[run.ExitCode]++;
                continue;
            }
            var input = Mutate(sources[random.Next(sources.Length)], random);
            File.WriteAllBytes(file, input);
            // a mutation that is still valid config costs a whole render (~0.5 s); a few are rendered, the rest only bound
            if (IsValidConfig(file) && ++valid > RenderedValid) continue;
            CliResult result;
            try
            {
                result = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);
            }
            catch (Exception e)
            {
                Assert.Fail($"case {cases} (seed {seed}) crashed: {e}\ninput:\n{Encoding.UTF8.GetString(input)}");
                throw;
            }
            Assert.True(result.ExitCode is 0 or 1 or 2, $"case {cases} (seed {seed}): exit {result.ExitCode}\n{result.Stderr}");
            Assert.DoesNotContain("   at ", result.Stderr);
            exits[result.ExitCode]++;
            if (result.ExitCode == 0)
            {
                // a valid mutation is a new render: it becomes the folder to keep
                (before, beforeStat) = (FolderSnapshot.Of(outDir), FolderSnapshot.Of(outDir, contents: false));
                continue;
            }
            beforeStat.AssertSame(FolderSnapshot.Of(outDir, contents: false), $"case {cases} (seed {seed}), exit {result.ExitCode}");
            Assert.Equal(["Pulumi.fuzz.yaml", "out"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        before.AssertSame(FolderSnapshot.Of(outDir), "after every case, byte for byte");
        output.WriteLine($"{cases} cases in {watch.Elapsed.TotalSeconds:F1} s: exit 0 x{exits[0]}, exit 1 x{exits[1]}, exit 2 x{exits[2]}; {valid} still valid, {Math.Min(valid, RenderedValid)} of them rendered");
        Assert.True(cases >= MinCases, $"only {cases} cases within {Budget.TotalSeconds} s");
        Assert.True(exits[2] > cases / 2, "most random mutations should be refused; the mutator may have stopped mutating");
        Assert.True(exits[0] > 0, "no valid mutation was rendered: the success path was not exercised");
    }

    private static bool IsValidConfig(string file) => Binds(() => StackFile.Load(file));

    private static bool IsValidEngineConfig(string json) => Binds(() => RawConfig.FromEngineJson(json));

    private static bool Binds(Func<RawConfig> load)
    {
        try
        {
            StackConfigBinder.Bind("fuzz", load(), EcommerceApp.Declare());
            return true;
        }
        catch (ConfigException)
        {
            return false;
        }
    }

    /// <summary>One to four edits: a fragment inserted, a span deleted, a line repeated, dropped or swapped, the text cut, a byte flipped.</summary>
    private static byte[] Mutate(string text, Random random)
    {
        var edits = random.Next(1, 5);
        byte[]? bytes = null;
        for (var i = 0; i < edits; i++)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(7))
            {
                case 0: text = text.Insert(at, Fragments[random.Next(Fragments.Length)]); break;
                case 1: text = text.Remove(at, Math.Min(random.Next(1, 20), text.Length - at)); break;
                case 2:
                case 3:
                {
                    var lines = text.Split('\n').ToList();
                    var line = random.Next(lines.Count);
                    var other = random.Next(lines.Count);
                    if (random.Next(3) == 0) lines.Insert(line, lines[line]);
                    else if (random.Next(2) == 0) lines.RemoveAt(line);
                    else (lines[line], lines[other]) = (lines[other], lines[line]);
                    text = string.Join('\n', lines);
                    break;
                }
                case 4: text = text[..at]; break;
                case 5: text = text.Insert(at, new string(' ', random.Next(1, 4))); break;
                default:
                    bytes = Encoding.UTF8.GetBytes(text);
                    if (bytes.Length > 0) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    text = Encoding.UTF8.GetString(bytes);
                    if (i < edits - 1) bytes = null;
                    break;
            }
        }
        return bytes ?? Encoding.UTF8.GetBytes(text);
    }
}
