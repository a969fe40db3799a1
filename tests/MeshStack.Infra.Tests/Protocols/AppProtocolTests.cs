using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Protocols;

/// <summary>
/// The collector's OTLP/gRPC port is HTTP/2 to both meshes, and PostgreSQL is opaque TCP to both: an appProtocol
/// one mesh does not know (Linkerd and "grpc" or "tcp") makes it proxy the port blind, without HTTP/2 routing,
/// metrics or load balancing per request.
/// </summary>
public class AppProtocolTests
{
    private static string Read(MeshKind mesh, string portName, string? appProtocol) =>
        mesh == MeshKind.Linkerd ? MeshProtocolReading.Linkerd(appProtocol) : MeshProtocolReading.Istio(portName, appProtocol);

    [Theory]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void Each_mesh_reads_the_collectors_grpc_port_as_http2_and_postgres_as_opaque_tcp(string corpus)
    {
        var config = Stacks.ConfigFromYaml(StackCorpus.Get(corpus).Yaml);
        var emitted = CorpusRender.Of(corpus);
        var opaque = config.Mesh == MeshKind.Linkerd ? "opaque" : "tcp";

        var collectors = emitted.Program["resources"]!.AsObject().Select(r => r.Value!["properties"]).OfType<JsonObject>()
            .Where(p => p["name"]?.GetValue<string>() == "otel-collector" && p["chart"]?.GetValue<string>() == "opentelemetry-collector").ToList();
        Assert.Equal(config.Clusters.Count, collectors.Count);
        foreach (var values in collectors.Select(c => c["values"]!))
        {
            // the chart copies ports.<name>.appProtocol onto the Service port (opentelemetry-collector 0.170.0 templates/_config.tpl 463-464)
            var otlp = values["ports"]!["otlp"]!;
            Assert.Equal("http2", Read(config.Mesh, "otlp", otlp["appProtocol"]?.GetValue<string>()));
        }

        var postgres = emitted.Manifests.Select(m => m.Parse())
            .Where(o => o["kind"]!.GetValue<string>() == "Service" && o["metadata"]!["name"]!.GetValue<string>() == "postgres").ToList();
        Assert.NotEmpty(postgres);
        foreach (var port in postgres.SelectMany(s => s["spec"]!["ports"]!.AsArray()).Cast<JsonObject>())
            Assert.Equal(opaque, Read(config.Mesh, port["name"]!.GetValue<string>(), port["appProtocol"]?.GetValue<string>()));
    }

    /// <summary>Seeded fault: the names that were rendered before are caught as not what each mesh needs.</summary>
    [Fact]
    public void The_reading_catches_names_a_mesh_does_not_know()
    {
        Assert.NotEqual("http2", MeshProtocolReading.Linkerd("grpc"));
        Assert.NotEqual("opaque", MeshProtocolReading.Linkerd("tcp"));
        Assert.NotEqual("tcp", MeshProtocolReading.Istio("postgres", "linkerd.io/opaque"));
        Assert.Equal("http2", MeshProtocolReading.Istio("otlp", "grpc"));
    }
}
