namespace MeshStack.Topology;

/// <summary>
/// The PostgreSQL database and user of the application, in every cluster that runs a service using it. By default
/// both are the application's name with <c>-</c> as <c>_</c> (an unquoted PostgreSQL identifier).
/// </summary>
public sealed record AppDatabase(string Name, string User)
{
    public static AppDatabase For(string app) => new(app.Replace('-', '_'), app.Replace('-', '_'));
}
