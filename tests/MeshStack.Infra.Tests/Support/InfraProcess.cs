using System.Diagnostics;
using System.Text;

namespace MeshStack.Tests.Support;

/// <summary>
/// Runs the synthesizer as a real process (a host built beside the tests: the ecommerce host, MeshStack.Infra.dll, unless
/// another is named), for what only a process shows: a crash or stack overflow that would abort it, a kill part-way
/// through a render, and a user's own host.
/// </summary>
public static class InfraProcess
{
    public const string EcommerceHost = "MeshStack.Infra";

    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, IEnumerable<string> args, IEnumerable<string>? prefix = null,
        string host = EcommerceHost)
    {
        var command = (prefix ?? []).Concat(["dotnet", Path.Combine(AppContext.BaseDirectory, host + ".dll")]).Concat(args).ToList();
        var psi = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("PULUMI_", StringComparison.Ordinal) || k.StartsWith("MESHSTACK_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return psi;
    }

    public static CliResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, IEnumerable<string> args, IEnumerable<string>? prefix = null,
        string host = EcommerceHost)
    {
        using var process = Process.Start(StartInfo(workingDirectory, environment, args, prefix, host))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
