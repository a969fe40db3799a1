using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Npgsql;

namespace MeshStack.LocalRun;

/// <summary>
/// A throwaway PostgreSQL server from the distribution's packages (Debian: apt-get install postgresql):
/// initdb into a temporary folder, started on a free 127.0.0.1 port with its socket in that folder,
/// password authentication with a password made up at start. Disposing stops it and deletes the folder.
/// Run as root, the server runs as the 'postgres' user (PostgreSQL refuses to run as root).
/// Durable by default (fsync, synchronous commit and full-page writes on, PostgreSQL's own defaults); tests and load
/// runs ask for <c>durable: false</c>, which trades crash safety for speed.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    public const string Host = "127.0.0.1";
    public const string Username = "postgres";

    private readonly string _root;
    private readonly string _binDirectory;
    private readonly bool _asPostgresUser;
    private readonly bool _durable;
    private readonly SemaphoreSlim _roles = new(1, 1);
    private readonly Dictionary<string, string> _rolePasswords = new(StringComparer.Ordinal);
    private int _stopped;

    private PostgresServer(string root, string binDirectory, bool asPostgresUser, bool durable, int port, string password)
    {
        _root = root;
        _binDirectory = binDirectory;
        _asPostgresUser = asPostgresUser;
        _durable = durable;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string Password { get; }

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>
    /// The folder holding initdb and pg_ctl: PG_BINDIR if set, else the newest /usr/lib/postgresql/N/bin
    /// (Debian's layout), else the PATH. Null when PostgreSQL's server binaries are not installed.
    /// </summary>
    public static string? FindBinDirectory()
    {
        static bool HasServer(string? directory) =>
            !string.IsNullOrEmpty(directory) && File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

        var configured = Environment.GetEnvironmentVariable("PG_BINDIR");
        if (HasServer(configured))
        {
            return configured;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(versionDirectory => (Version: int.TryParse(Path.GetFileName(versionDirectory), out var v) ? v : 0, Bin: Path.Combine(versionDirectory, "bin")))
                .Where(candidate => HasServer(candidate.Bin))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Bin)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).FirstOrDefault(HasServer);
    }

    public static async Task<PostgresServer> StartAsync(bool durable = true, CancellationToken ct = default)
    {
        var bin = FindBinDirectory()
            ?? throw new InvalidOperationException("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql, or set PG_BINDIR.");
        var asPostgresUser = geteuid() == 0;
        var root = Directory.CreateTempSubdirectory("meshstack-pg-").FullName;
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(18));
        try
        {
            if (asPostgresUser)
            {
                await RunAsync("chown", ["postgres:", root], ct);
            }

            var passwordFile = Path.Combine(root, "pwfile");
            await File.WriteAllTextAsync(passwordFile, password, ct);
            if (asPostgresUser)
            {
                await RunAsync("chown", ["postgres:", passwordFile], ct);
            }

            await RunAsync(Tool(bin, "initdb", asPostgresUser),
                [.. ToolArgs(bin, "initdb", asPostgresUser), "-D", Path.Combine(root, "data"), "-U", Username, "-A", "scram-sha-256",
                    $"--pwfile={passwordFile}", "-E", "UTF8", "--no-locale", .. (durable ? Array.Empty<string>() : ["--no-sync"])], ct);
            File.Delete(passwordFile);

            // The free port we find may be taken before the server binds it; a few tries settle that.
            for (var attempt = 1; ; attempt++)
            {
                var port = Loopback.FreePort();
                var server = new PostgresServer(root, bin, asPostgresUser, durable, port, password);
                try
                {
                    await server.StartServerAsync(ct);
                    return server;
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                }
            }
        }
        catch
        {
            TryDelete(root);
            throw;
        }
    }

    /// <summary>A database of this server as the superuser.</summary>
    public string ConnectionString(string database) => new DatabaseAccess(Host, Port, database, Username, Password).ConnectionString;

    /// <summary>
    /// Creates an empty database owned by <paramref name="owner"/>, a login role made on first use with a password of its
    /// own: the services connect as the application's user, not as the superuser. Returns how to reach it as that user.
    /// </summary>
    public async Task<DatabaseAccess> CreateDatabaseAsync(string name, string owner, CancellationToken ct = default)
    {
        foreach (var (identifier, what) in new[] { (name, "database"), (owner, "user") })
        {
            if (!Identifier().IsMatch(identifier))
            {
                throw new ArgumentException($"'{identifier}' is not a plain {what} name ([a-z_][a-z0-9_]*).", what == "database" ? nameof(name) : nameof(owner));
            }
        }

        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(ct);
        await _roles.WaitAsync(ct);
        try
        {
            if (!_rolePasswords.TryGetValue(owner, out var password))
            {
                password = Convert.ToHexString(RandomNumberGenerator.GetBytes(18));
                await using var role = new NpgsqlCommand($"CREATE ROLE {owner} LOGIN PASSWORD '{password}'", connection);
                await role.ExecuteNonQueryAsync(ct);
                _rolePasswords[owner] = password;
            }

            await using var command = new NpgsqlCommand($"CREATE DATABASE {name} OWNER {owner}", connection);
            await command.ExecuteNonQueryAsync(ct);
            return new DatabaseAccess(Host, Port, name, owner, password);
        }
        finally
        {
            _roles.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            NpgsqlConnection.ClearAllPools();
            await RunAsync(Tool(_binDirectory, "pg_ctl", _asPostgresUser),
                [.. ToolArgs(_binDirectory, "pg_ctl", _asPostgresUser), "-D", DataDirectory, "-m", "fast", "-w", "stop"], CancellationToken.None);
        }
        finally
        {
            TryDelete(_root);
            _roles.Dispose();
        }
    }

    /// <summary>Stops the server as a crash or an outage would (immediate mode: no checkpoint, clients cut off).</summary>
    public Task StopServerAsync(CancellationToken ct = default) =>
        RunAsync(Tool(_binDirectory, "pg_ctl", _asPostgresUser),
            [.. ToolArgs(_binDirectory, "pg_ctl", _asPostgresUser), "-D", DataDirectory, "-m", "immediate", "-w", "stop"], ct);

    /// <summary>Starts the server (again) on its port, with its data; waits until it accepts connections.</summary>
    public async Task StartServerAsync(CancellationToken ct = default)
    {
        var settings = new List<string>
        {
            "-c listen_addresses=127.0.0.1", $"-c port={Port}", $"-c unix_socket_directories={_root}",
            "-c max_connections=300", "-c shared_buffers=64MB",
        };
        if (!_durable)
        {
            settings.AddRange(["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]);
        }

        var options = string.Join(' ', settings);
        await RunAsync(Tool(_binDirectory, "pg_ctl", _asPostgresUser),
            [.. ToolArgs(_binDirectory, "pg_ctl", _asPostgresUser), "-D", DataDirectory, "-l", Path.Combine(_root, "server.log"),
                "-w", "-t", "30", "-o", options, "start"], ct);
    }

    private static string Tool(string bin, string name, bool asPostgresUser) => asPostgresUser ? "runuser" : Path.Combine(bin, name);

    private static string[] ToolArgs(string bin, string name, bool asPostgresUser) =>
        asPostgresUser ? ["-u", "postgres", "--", Path.Combine(bin, name)] : [];

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(arguments.Count > 3 && fileName == "runuser" ? arguments[3] : fileName)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
