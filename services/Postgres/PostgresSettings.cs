using Microsoft.Extensions.Configuration;
using Npgsql;

namespace MeshStack.Postgres;

/// <summary>
/// Where the database is: <c>ConnectionStrings:Postgres</c> when set, otherwise the libpq variables
/// PGHOST, PGPORT, PGDATABASE, PGUSER and PGPASSWORD (the infra sets these; the password comes from a Secret).
/// </summary>
public static class PostgresSettings
{
    public const string ConnectionStringName = "Postgres";

    public static string ConnectionString(IConfiguration configuration)
    {
        if (configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } explicitConnectionString)
        {
            return explicitConnectionString;
        }

        var host = configuration["PGHOST"];
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new InvalidOperationException(
                "No PostgreSQL configured: set ConnectionStrings__Postgres, or PGHOST (with PGPORT, PGDATABASE, PGUSER, PGPASSWORD).");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = host };
        if (configuration["PGPORT"] is { Length: > 0 } port)
        {
            builder.Port = int.TryParse(port, out var number)
                ? number
                : throw new InvalidOperationException($"PGPORT must be a port number, not '{port}'.");
        }

        if (configuration["PGDATABASE"] is { Length: > 0 } database)
        {
            builder.Database = database;
        }

        if (configuration["PGUSER"] is { Length: > 0 } user)
        {
            builder.Username = user;
        }

        if (configuration["PGPASSWORD"] is { Length: > 0 } password)
        {
            builder.Password = password;
        }

        return builder.ConnectionString;
    }
}
