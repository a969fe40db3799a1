using System.Diagnostics;
using System.Text;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Aot;

/// <summary>
/// The Native AOT synthesizer that infra/compile.sh publishes (the compiler fixture has run compile.sh, so it is current
/// for the sources under test: AOT and JIT are compared at the same commit).
/// </summary>
public static class NativeCompiler
{
    public static string Binary { get; } = Path.Combine(Repo.Root, "infra", ".compiler", "native", "MeshStack.Infra");

    /// <summary>Fails (never skips) when compile.sh fell back to the JIT build: CI installs the toolchain.</summary>
    public static void AssertBuilt() =>
        Assert.True(File.Exists(Binary),
            $"no Native AOT build at {Binary}: compile.sh fell back to the JIT build, so the native toolchain is missing " +
            "(Debian: apt-get install clang zlib1g-dev; .ci/run installs it)");

    public static CliResult Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo(Binary)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("PULUMI_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1))) process.Kill(entireProcessTree: true);
        return new CliResult(process.ExitCode, stdout, stderr.Result);
    }
}
