using Npgsql;

namespace MeshStack.Services.Tests;

/// <summary>Reads a test stack's database directly: what was written, whatever the APIs say.</summary>
internal static class Database
{
    public static async Task<long> CountAsync(string connectionString, string fromWhere)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {fromWhere}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Rows written by orders, reservations and reservation lines together.</summary>
    public static async Task<(long Orders, long Reservations, long Lines)> WrittenAsync(string connectionString) =>
        (await CountAsync(connectionString, "orders"), await CountAsync(connectionString, "reservations"),
            await CountAsync(connectionString, "reservation_lines"));
}
