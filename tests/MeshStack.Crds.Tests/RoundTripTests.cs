using System.Text.Json.Nodes;
using MeshStack.CrdGen;

namespace MeshStack.Crds.Tests;

/// <summary>Every upstream Istio sample reads into the typed classes and writes back to the same JSON.</summary>
public sealed class RoundTripTests
{
    private static string SamplesFolder => Path.Combine(Upstream.Root, "istio", "samples");

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        if (Directory.Exists(SamplesFolder))
        {
            foreach (var file in Directory.EnumerateFiles(SamplesFolder, "*.yaml").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(file));
            }
        }
        return data;
    }

    [UpstreamTheory]
    [MemberData(nameof(Samples))]
    public void Sample_deserializes_into_typed_classes_and_serializes_back_unchanged(string sample)
    {
        var documents = YamlJson.ReadDocuments(File.ReadAllText(Path.Combine(SamplesFolder, sample)));
        Assert.NotEmpty(documents);
        foreach (var document in documents)
        {
            var typed = CrdJson.Deserialize(document);

            var kind = CrdKinds.Find(typed.GetType());
            Assert.NotNull(kind);
            Assert.Equal(document["apiVersion"]!.GetValue<string>(), kind.ApiVersion);
            Assert.Equal(document["kind"]!.GetValue<string>(), kind.Kind);
            JsonAssert.Equivalent(document, CrdJson.ToNode(typed));
        }
    }

    [UpstreamTheory]
    [MemberData(nameof(Samples))]
    public void Sample_reserialized_from_typed_classes_validates_against_its_crd(string sample)
    {
        foreach (var document in YamlJson.ReadDocuments(File.ReadAllText(Path.Combine(SamplesFolder, sample))))
        {
            var typed = CrdJson.Deserialize(document);
            var crd = Upstream.Crd(CrdKinds.Find(typed.GetType())!);

            Assert.Empty(CrdSchemaValidator.Validate(crd, CrdJson.ToNode(typed)));
        }
    }

    [UpstreamFact]
    public void Samples_cover_the_istio_kinds_they_are_meant_to()
    {
        // Guards the theory above against passing vacuously on an empty or unexpected folder.
        var kinds = Directory.EnumerateFiles(SamplesFolder, "*.yaml")
            .SelectMany(f => YamlJson.ReadDocuments(File.ReadAllText(f)))
            .Select(d => $"{d["apiVersion"]} {d["kind"]}")
            .ToHashSet();

        Assert.Superset(
            new HashSet<string>
            {
                "networking.istio.io/v1 VirtualService",
                "networking.istio.io/v1 DestinationRule",
                "networking.istio.io/v1 Gateway",
                "networking.istio.io/v1 ServiceEntry",
            },
            kinds);
    }

    [UpstreamFact]
    public void A_sample_reads_into_the_expected_typed_values()
    {
        var document = YamlJson.ReadDocuments(File.ReadAllText(Path.Combine(SamplesFolder, "virtual-service-reviews-80-20.yaml")))[0];

        var vs = CrdJson.Deserialize<Networking.Istio.V1.VirtualService>(document);

        Assert.Equal("reviews", vs.Metadata.Name);
        var routes = vs.Spec!.Http![0].Route!;
        Assert.Equal(["v1", "v2"], routes.Select(r => r.Destination.Subset));
        Assert.Equal([80, 20], routes.Select(r => (int)r.Weight!.Value));
        Assert.IsType<JsonObject>(CrdJson.ToNode(vs));
    }
}
