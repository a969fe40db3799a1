using System.Net;
using System.Net.Sockets;

namespace MeshStack.LocalRun;

internal static class Loopback
{
    /// <summary>A 127.0.0.1 port free right now (someone may take it before it is used: callers retry or accept that).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
