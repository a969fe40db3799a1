using Npgsql;

namespace MeshStack.LocalRun;

/// <summary>Where a service finds its database and whom it connects as.</summary>
public sealed record DatabaseAccess(string Host, int Port, string Database, string User, string Password)
{
    /// <summary>
    /// libpq's variables, the ones the infra renders on the Deployment of a service that uses the database
    /// (infra Database/PostgresComponent.cs; services/Postgres reads them when no connection string is set).
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment() => new Dictionary<string, string>
    {
        ["PGHOST"] = Host,
        ["PGPORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PGDATABASE"] = Database,
        ["PGUSER"] = User,
        ["PGPASSWORD"] = Password,
    };

    /// <summary>The same access as a connection string (tests and load runs read and seed the database with it).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Database = Database,
        Username = User,
        Password = Password,
        // Tests and local runs open and close many short-lived hosts; keep idle connections few.
        MaxPoolSize = 50,
    }.ConnectionString;

    /// <summary>
    /// An existing database given as a connection string: its host, port, database, user and password (the settings the
    /// infra gives a service; other options of the string are not passed on). A malformed one: <see cref="FormatException"/>.
    /// </summary>
    public static DatabaseAccess Parse(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            throw new FormatException($"not a PostgreSQL connection string: {exception.Message}", exception);
        }

        string Required(string? value, string key) => string.IsNullOrEmpty(value)
            ? throw new FormatException($"the connection string has no {key}: give Host, Database, Username and Password (Port defaults to 5432)")
            : value;

        return new DatabaseAccess(Required(builder.Host, "Host"), builder.Port, Required(builder.Database, "Database"),
            Required(builder.Username, "Username"), builder.Password ?? "");
    }
}
