using System.Diagnostics;
using MeshStack.Output;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.BadInput;

/// <summary>
/// <c>render --out DIR</c> replaces DIR whole, so it may only ever replace an earlier render: anything else is refused
/// with exit 1 and left byte-identical, and the swap leaves DIR either the old or the new render, even when killed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class OutFolderSafetyTests
{
    private static readonly string DevStack = StackFixtures.Text("dev");

    /// <summary>A scratch project: the working directory holds the stack file and a source file of the user's.</summary>
    private static (string Dir, string StackFile) Workspace()
    {
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, "Pulumi.s.yaml");
        File.WriteAllText(file, DevStack);
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "the user's own file");
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        File.WriteAllText(Path.Combine(dir, "src", "Program.cs"), "// user source");
        return (dir, file);
    }

    private static void AssertRefused(string workingDirectory, string stackFile, string outArg, string watched, string expected)
    {
        var before = FolderSnapshot.Of(watched);
        var result = InProcess.Run(workingDirectory, null, "render", "--config", stackFile, "--out", outArg);
        Assert.True(result.ExitCode == 1, $"--out '{outArg}': exit {result.ExitCode}\n{result.Stderr}");
        Assert.Contains(expected, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        before.AssertSame(FolderSnapshot.Of(watched), $"--out '{outArg}'");
    }

    [Fact]
    public void The_working_directory_is_refused_and_kept()
    {
        var (dir, file) = Workspace();
        AssertRefused(dir, file, ".", dir, $"--out '{dir}' is {dir}");
    }

    [Fact]
    public void The_parent_of_the_working_directory_is_refused_and_kept()
    {
        var (dir, file) = Workspace();
        var work = Path.Combine(dir, "work");
        Directory.CreateDirectory(work);
        AssertRefused(work, file, "..", dir, $"contains {work}");
    }

    [Fact]
    public void An_empty_out_argument_is_refused()
    {
        var (dir, file) = Workspace();
        AssertRefused(dir, file, "", dir, "--out is empty");
    }

    [Fact]
    public void The_file_system_root_is_refused()
    {
        var (dir, file) = Workspace();
        var before = Directory.GetFileSystemEntries("/").Order().ToList();
        AssertRefused(dir, file, "/", dir, "is the file system root");
        Assert.Equal(before, Directory.GetFileSystemEntries("/").Order().ToList());
    }

    [Fact]
    public void An_ancestor_of_the_project_is_refused_from_anywhere()
    {
        var (dir, file) = Workspace();
        var elsewhere = Repo.TempDir();
        // the stack file's folder is protected even when the working directory is elsewhere
        AssertRefused(elsewhere, file, dir, dir, $"is {dir}");
        AssertRefused(elsewhere, file, Path.GetDirectoryName(dir)!, dir, "which holds your files");
    }

    [Fact]
    public void A_folder_with_foreign_files_is_refused_and_kept()
    {
        var (dir, file) = Workspace();
        var foreign = Path.Combine(dir, "docs");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "design.md"), "# not a render");
        AssertRefused(dir, file, "docs", dir, $"--out '{foreign}' is not empty and is not a MeshStack render (it has no {RenderDirectory.Marker} file)");
    }

    [Fact]
    public void A_render_from_before_the_marker_is_replaced_but_not_once_it_holds_anything_else()
    {
        var (dir, file) = Workspace();
        var outDir = Path.Combine(dir, "out");
        Assert.Equal(0, InProcess.Run(dir, null, "render", "--config", file, "--out", outDir).ExitCode);
        File.Delete(Path.Combine(outDir, RenderDirectory.Marker));
        File.WriteAllText(Path.Combine(outDir, "manifests", "dev", "notes.md"), "mine");
        AssertRefused(dir, file, "out", dir, "is not a MeshStack render");

        File.Delete(Path.Combine(outDir, "manifests", "dev", "notes.md"));
        var result = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(File.Exists(Path.Combine(outDir, RenderDirectory.Marker)));
    }

    [Fact]
    public void A_file_is_refused_and_kept()
    {
        var (dir, file) = Workspace();
        AssertRefused(dir, file, "notes.txt", dir, "is a file, not a folder");
    }

    [Fact]
    public void A_symbolic_link_is_refused_and_neither_it_nor_its_target_is_touched()
    {
        // decision: a link is never a target, even to an earlier render; the swap would replace the link itself
        var (dir, file) = Workspace();
        var real = Path.Combine(dir, "real-out");
        Assert.Equal(0, InProcess.Run(dir, null, "render", "--config", file, "--out", real).ExitCode);
        Directory.CreateSymbolicLink(Path.Combine(dir, "link-out"), real);
        Directory.CreateSymbolicLink(Path.Combine(dir, "link-home"), dir);
        AssertRefused(dir, file, "link-out", dir, "is a symbolic link");
        AssertRefused(dir, file, "link-home", dir, "is a symbolic link");
    }

    [Fact]
    public void A_folder_under_a_link_to_the_working_directory_is_still_the_working_directory()
    {
        var (dir, file) = Workspace();
        var other = Repo.TempDir();
        Directory.CreateSymbolicLink(Path.Combine(other, "back"), Path.GetDirectoryName(dir)!);
        AssertRefused(dir, file, Path.Combine(other, "back", Path.GetFileName(dir)), dir, $"is {dir}");
    }

    [Fact]
    public void An_earlier_render_or_an_empty_folder_is_replaced_and_marked()
    {
        var (dir, file) = Workspace();
        Directory.CreateDirectory(Path.Combine(dir, "empty"));
        foreach (var target in new[] { "empty", "empty", "fresh/nested" })
        {
            var result = InProcess.Run(dir, null, "render", "--config", file, "--out", target);
            Assert.True(result.ExitCode == 0, result.Stderr);
            Assert.True(File.Exists(Path.Combine(dir, target, RenderDirectory.Marker)));
            Assert.True(File.Exists(Path.Combine(dir, target, "Main.yaml")));
        }
        Assert.Equal(["Pulumi.s.yaml", "empty", "fresh", "notes.txt", "src"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_folder_on_a_file_system_that_takes_no_folders_is_refused_in_those_terms()
    {
        var (dir, file) = Workspace();
        // the message names the user's folder, never the sibling the render works in
        var result = InProcess.Run(dir, null, "render", "--config", file, "--out", "/proc/meshstack-out");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot render into '/proc/meshstack-out': a new folder cannot be created in /proc", result.Stderr);
        Assert.DoesNotContain("rendering-", result.Stderr);
    }

    [Fact]
    public void A_read_only_render_is_refused_before_anything_is_written()
    {
        var (dir, file) = Workspace();
        var outDir = Path.Combine(dir, "out");
        Assert.Equal(0, InProcess.Run(dir, null, "render", "--config", file, "--out", outDir).ExitCode);
        var manifests = Path.Combine(outDir, "manifests", "dev");
        File.SetUnixFileMode(manifests, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            // root may write anywhere: then the check runs as an unprivileged user, in a real process
            var asUser = Environment.UserName == "root" ? UnprivilegedPrefix(dir) : null;
            var before = FolderSnapshot.Of(dir);
            var result = InfraProcess.Run(dir, null, ["render", "--config", file, "--out", outDir], asUser);
            Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}\n{result.Stderr}");
            Assert.Contains($"cannot replace the render in '{outDir}': {manifests} is read-only", result.Stderr);
            before.AssertSame(FolderSnapshot.Of(dir), "read-only render");
        }
        finally
        {
            File.SetUnixFileMode(manifests, File.GetUnixFileMode(outDir));
        }
    }

    /// <summary>Runs the child as nobody, with the workspace theirs except the read-only folder under test.</summary>
    private static string[] UnprivilegedPrefix(string dir)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Prepend(dir))
        {
            using var chown = Process.Start("chown", ["-h", "65534:65534", path])!;
            chown.WaitForExit();
            Assert.Equal(0, chown.ExitCode);
        }
        // the temp folders above must be passable
        for (var d = Path.GetDirectoryName(dir); d is not null && d != Path.GetTempPath().TrimEnd('/'); d = Path.GetDirectoryName(d))
            File.SetUnixFileMode(d, File.GetUnixFileMode(d) | UnixFileMode.OtherExecute | UnixFileMode.OtherRead);
        return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--reset-env"];
    }

    [Fact]
    public async Task The_folder_is_never_missing_during_a_swap()
    {
        var (dir, file) = Workspace();
        var outDir = Path.Combine(dir, "out");
        Assert.Equal(0, InProcess.Run(dir, null, "render", "--config", file, "--out", outDir).ExitCode);
        var missing = 0;
        var checks = 0;
        using var stop = new CancellationTokenSource();
        using var watching = new ManualResetEventSlim();
        // its own thread, watching before the first swap: on the shared pool, under the suite's parallel load, it could
        // start only after the renders were done (a CI run saw 0 checks)
        var watcher = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                checks++;
                if (!File.Exists(Path.Combine(outDir, "Main.yaml"))) missing++;
                if (checks == 1) watching.Set();
            }
        }, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(watching.Wait(TimeSpan.FromSeconds(30)), "the watcher never started");
        for (var i = 0; i < 5; i++) Assert.Equal(0, InProcess.Run(dir, null, "render", "--config", file, "--out", outDir).ExitCode);
        stop.Cancel();
        await watcher;
        Assert.True(checks > 100, $"only {checks} checks");
        Assert.Equal(0, missing);
    }

    public static TheoryData<string, bool> KillPoints => new() { { "staged", false }, { "swapped", true } };

    [Theory]
    [MemberData(nameof(KillPoints))]
    public void A_render_killed_part_way_leaves_the_old_or_the_new_render_and_the_next_run_cleans_up(string step, bool newInPlace)
    {
        var (dir, file) = Workspace();
        var outDir = Path.Combine(dir, "out");
        Assert.Equal(0, InProcess.Run(dir, null, "render", "--config", file, "--out", outDir).ExitCode);
        var oldRender = FolderSnapshot.Of(outDir);
        // the new render differs from the old one: another sampling rate
        File.WriteAllText(file, DevStack.Replace("samplingPercent: 100", "samplingPercent: 42"));
        var expectedDir = Path.Combine(Repo.TempDir(), "expected");
        Assert.Equal(0, InProcess.Run(dir, null, "render", "--config", file, "--out", expectedDir).ExitCode);
        var newRender = FolderSnapshot.Of(expectedDir);
        Assert.NotEqual(oldRender.Entries["Main.yaml"], newRender.Entries["Main.yaml"]);

        using (var process = Process.Start(InfraProcess.StartInfo(dir, new Dictionary<string, string> { ["MESHSTACK_TEST_RENDER_PAUSE"] = step },
                   ["render", "--config", file, "--out", outDir]))!)
        {
            string? line;
            while ((line = process.StandardError.ReadLine()) is not null && line != $"paused: {step}") { }
            Assert.Equal($"paused: {step}", line);
            process.Kill(); // SIGKILL: no finally blocks run
            process.WaitForExit();
        }

        var afterKill = FolderSnapshot.Of(outDir);
        Assert.True(File.Exists(Path.Combine(outDir, RenderDirectory.Marker)), "the folder is missing or unmarked after the kill");
        // never mixed: exactly the old render or exactly the new one
        (newInPlace ? newRender : oldRender).AssertSame(afterKill, $"killed at {step}");
        Assert.NotEmpty(Leftovers(dir));
        // on Linux the swap is one exchange: the old tree sits where the new one was staged, and no .old folder (the
        // trace of two renames, between which out/ would not exist) was ever made
        if (newInPlace && OperatingSystem.IsLinux()) Assert.All(Leftovers(dir), l => Assert.StartsWith(".out.rendering-", l));

        var next = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);
        Assert.True(next.ExitCode == 0, next.Stderr);
        Assert.Empty(Leftovers(dir));
        newRender.AssertSame(FolderSnapshot.Of(outDir), "the run after the kill");
    }

    [Fact]
    public void An_old_render_set_aside_by_a_killed_two_rename_swap_is_put_back_then_replaced()
    {
        // the fallback swap (no renameat2) renames the old tree aside first: a kill there leaves no folder at all
        var (dir, file) = Workspace();
        var outDir = Path.Combine(dir, "out");
        Assert.Equal(0, InProcess.Run(dir, null, "render", "--config", file, "--out", outDir).ExitCode);
        var deadPid = DeadPid();
        Directory.Move(outDir, Path.Combine(dir, $".out.old-{deadPid}"));
        Directory.CreateDirectory(Path.Combine(dir, $".out.rendering-{deadPid}", "manifests"));
        File.WriteAllText(Path.Combine(dir, $".out.rendering-{deadPid}", RenderDirectory.Marker), "");
        // a folder of the user's that merely looks like a leftover is not ours: it stays
        Directory.CreateDirectory(Path.Combine(dir, $".out.old-{deadPid + 1}"));
        File.WriteAllText(Path.Combine(dir, $".out.old-{deadPid + 1}", "keep.txt"), "mine");

        var result = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(File.Exists(Path.Combine(outDir, "Main.yaml")));
        Assert.Equal([$".out.old-{deadPid + 1}"], Leftovers(dir));
    }

    private static List<string> Leftovers(string dir) =>
        Directory.GetDirectories(dir, ".out.*").Select(Path.GetFileName).OfType<string>().ToList();

    private static int DeadPid()
    {
        using var p = Process.Start("true")!;
        p.WaitForExit();
        return p.Id;
    }
}
