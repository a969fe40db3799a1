using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MeshStack.LocalRun;

/// <summary>A service running as its own process on a loopback port, its output appended to a log file.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StreamWriter _log;
    private int _disposed;

    private ServiceProcess(ServiceInfo service, Process process, StreamWriter log, Uri address)
    {
        Service = service;
        _process = process;
        _log = log;
        Address = address;
    }

    public ServiceInfo Service { get; }

    public Uri Address { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ServiceProcess Start(ServiceInfo service, string dllPath, int port, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        if (!File.Exists(dllPath))
        {
            throw new FileNotFoundException(
                $"{service.Name} is not built: {dllPath} is missing (a service of the topology is the project services/{service.Folder}/{service.Assembly}.csproj; build it)", dllPath);
        }

        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dllPath)!,
        };
        start.ArgumentList.Add(dllPath);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {service.Name}.");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(service, process, log, address);
    }

    /// <summary>
    /// Waits until GET /readyz answers 200, for up to <paramref name="timeout"/>: a probe that fails or times out (a
    /// slow start on a busy machine) is tried again until then.
    /// </summary>
    public async Task WaitReadyAsync(HttpClient http, TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Service.Name} exited with code {_process.ExitCode} while starting.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Address, "/readyz"), ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // Not listening yet, or the probe itself timed out: ask again.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Service.Name} was not ready within {timeout.TotalSeconds} s.");
            }

            await Task.Delay(100, ct);
        }
    }

    /// <summary>Resident set size now and at its peak, in bytes, from /proc (Linux).</summary>
    public (long Current, long Peak) Memory()
    {
        long current = 0, peak = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    current = KiloBytes(line) * 1024;
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = KiloBytes(line) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return (current, peak);
    }

    /// <summary>CPU time the process has used so far (user + system), from /proc (Linux).</summary>
    public TimeSpan CpuTime()
    {
        try
        {
            // Fields 14 and 15 of /proc/PID/stat, counted after the ")" that ends the command name.
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture)
                + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    // sysconf(_SC_CLK_TCK) is 100 on Linux for every architecture .NET runs on.
    private const int ClockTicksPerSecond = 100;

    /// <summary>SIGTERM, as Kubernetes sends it; killed if it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = kill(_process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGKILL, as the kernel's OOM killer or a node failure would end it.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(TimeSpan.FromSeconds(15));
        _process.Dispose();
        await _log.DisposeAsync();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private static long KiloBytes(string line) =>
        long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var value) ? value : 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
