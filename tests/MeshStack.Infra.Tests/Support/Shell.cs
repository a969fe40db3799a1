using System.Diagnostics;
using System.Text;

namespace MeshStack.Tests.Support;

/// <summary>Runs a process without a shell, with no PULUMI_* variable but those given, and collects its output.</summary>
public static class Shell
{
    public static CliResult Run(string workingDirectory, string file, params string[] args) =>
        Run(workingDirectory, new Dictionary<string, string>(), file, args);

    public static CliResult Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
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
        // a native publish on a busy 2-core machine can take several minutes
        if (!process.WaitForExit(TimeSpan.FromMinutes(15))) process.Kill(entireProcessTree: true);
        return new CliResult(process.ExitCode, stdout, stderr.Result);
    }
}
