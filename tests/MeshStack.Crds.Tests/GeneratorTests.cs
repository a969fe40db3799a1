using System.Text.Json.Nodes;
using MeshStack.CrdGen;

namespace MeshStack.Crds.Tests;

/// <summary>The generator on small CRDs made here (no upstream data needed).</summary>
public sealed class GeneratorTests
{
    private const string Prose = "This sentence stands for upstream prose.";

    private static JsonObject Obj(params (string Key, JsonNode? Value)[] entries)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in entries)
        {
            obj[key] = value;
        }
        return obj;
    }

    private static JsonObject Typed(string type, params (string Key, JsonNode? Value)[] more) =>
        Obj([("type", type), ("description", Prose), .. more]);

    private static JsonObject WidgetSpec()
    {
        var item = Typed(
            "object",
            ("required", new JsonArray("name")),
            ("properties", Obj(("name", Typed("string")), ("tls", Tls()))));
        var intOrString = Obj(
            ("x-kubernetes-int-or-string", true),
            ("anyOf", new JsonArray(Obj(("type", "integer")), Obj(("type", "string")))));
        var properties = Obj(
            ("size", Typed("integer", ("format", "int32"))),
            ("replicas", Typed("integer", ("minimum", 0), ("maximum", 4294967295L))),
            ("mode", Typed("string", ("enum", new JsonArray("FAST", "slow-start", "")))),
            ("port", intOrString),
            ("config", Typed("object", ("x-kubernetes-preserve-unknown-fields", true))),
            ("labels", Typed("object", ("additionalProperties", Typed("string")))),
            ("ratio", Typed("number")),
            ("timeout", Typed("string")),
            ("mirror_percent", Typed("integer", ("format", "int32"))),
            ("mirrorPercent", Typed("integer", ("format", "int32"))),
            ("items", Typed("array", ("items", item))),
            ("tls", Tls()),
            ("code", Typed("integer", ("enum", new JsonArray(301, 302)))));
        return Typed("object", ("required", new JsonArray("size", "mode")), ("properties", properties));
    }

    private static JsonObject Tls() =>
        Typed("object", ("properties", Obj(("mode", Typed("string", ("enum", new JsonArray("DISABLE", "ISTIO_MUTUAL")))))));

    private static JsonObject Version(string name, bool served, bool storage, JsonObject spec, bool deprecated = false)
    {
        var status = Typed("object", ("properties", Obj(("phase", Typed("string")))));
        var root = Typed("object", ("properties", Obj(
            ("apiVersion", Typed("string")),
            ("kind", Typed("string")),
            ("metadata", Typed("object")),
            ("spec", spec),
            ("status", status))));
        return Obj(
            ("name", name),
            ("served", served),
            ("storage", storage),
            ("deprecated", deprecated),
            ("schema", Obj((CrdReader.SchemaKey, root))));
    }

    private static string WidgetCrd(params JsonObject[] versions) => Obj(
        ("apiVersion", "apiextensions.k8s.io/v1"),
        ("kind", "CustomResourceDefinition"),
        ("spec", Obj(
            ("group", "widgets.example.com"),
            ("names", Obj(("kind", "Widget"), ("plural", "widgets"))),
            ("versions", new JsonArray(versions))))).ToJsonString();

    private static readonly Selection WidgetsOnly = new(["widgets.yaml"], ["widgets.example.com"]);

    private static IReadOnlyList<GeneratedFile> Generate(string yaml) =>
        CrdGenerator.Generate(WidgetsOnly.Choose(CrdReader.Read(yaml, "widgets.yaml")));

    private static string WidgetV1() =>
        Generate(WidgetCrd(Version("v1", served: true, storage: true, WidgetSpec())))
            .Single(f => f.Path == "widgets.example.com/v1/Widget.g.cs").Content;

    [Fact]
    public void Resource_class_has_constants_metadata_and_typed_spec_but_no_status()
    {
        var code = WidgetV1();

        Assert.Contains("namespace MeshStack.Crds.Widgets.Example.V1;", code);
        Assert.Contains("public sealed partial class Widget : global::k8s.IKubernetesObject<global::k8s.Models.V1ObjectMeta>", code);
        Assert.Contains("public const string KubeGroupVersion = \"widgets.example.com/v1\";", code);
        Assert.Contains("public string ApiVersion { get; set; } = KubeGroupVersion;", code);
        Assert.Contains("public global::k8s.Models.V1ObjectMeta Metadata { get; set; } = new();", code);
        Assert.Contains("public WidgetSpec? Spec { get; set; }", code);
        Assert.DoesNotContain("Status", code);
        Assert.DoesNotContain("phase", code);
    }

    [Fact]
    public void Field_types_follow_the_schema()
    {
        var code = WidgetV1();

        Assert.Contains("[JsonPropertyName(\"size\")]\n    public required int Size { get; set; }", code);
        Assert.Contains("public long? Replicas { get; set; }", code);
        Assert.Contains("public required WidgetSpecMode Mode { get; set; }", code);
        Assert.Contains("public IntOrString? Port { get; set; }", code);
        Assert.Contains("public JsonObject? Config { get; set; }", code);
        Assert.Contains("public Dictionary<string, string>? Labels { get; set; }", code);
        Assert.Contains("public double? Ratio { get; set; }", code);
        Assert.Contains("public string? Timeout { get; set; }", code);
        Assert.Contains("public List<WidgetSpecItems>? Items { get; set; }", code);
        Assert.Contains("public required string Name { get; set; }", code);
    }

    [Fact]
    public void Enums_keep_the_exact_upstream_values()
    {
        var code = WidgetV1();

        Assert.Contains("[JsonConverter(typeof(ExactStringEnumConverter<WidgetSpecMode>))]\npublic enum WidgetSpecMode", code);
        Assert.Contains("[JsonStringEnumMemberName(\"FAST\")]\n    Fast,", code);
        Assert.Contains("[JsonStringEnumMemberName(\"slow-start\")]\n    SlowStart,", code);
        Assert.Contains("[JsonStringEnumMemberName(\"\")]\n    Empty,", code);
        Assert.Contains("[JsonConverter(typeof(IntegerEnumConverter<WidgetSpecCode>))]", code);
        Assert.Contains("Value301 = 301,", code);
    }

    [Fact]
    public void Camel_case_field_keeps_the_plain_name_when_a_snake_case_twin_exists()
    {
        var code = WidgetV1();

        Assert.Contains("[JsonPropertyName(\"mirrorPercent\")]\n    public int? MirrorPercent { get; set; }", code);
        Assert.Contains("[JsonPropertyName(\"mirror_percent\")]\n    public int? Mirror_Percent { get; set; }", code);
    }

    [Fact]
    public void Same_shape_under_the_same_field_name_is_one_type_named_after_the_closest_common_holder()
    {
        var code = WidgetV1();

        Assert.Contains("public sealed partial class WidgetSpecTls", code);
        Assert.DoesNotContain("WidgetSpecItemsTls", code);
        Assert.Equal(2, code.Split("public WidgetSpecTls? Tls { get; set; }").Length - 1);
        Assert.Contains("/// <summary>Type of <c>spec.items[].tls</c>, <c>spec.tls</c>.</summary>", code);
    }

    [Fact]
    public void Upstream_descriptions_are_not_copied()
    {
        Assert.DoesNotContain(Prose, WidgetV1());
    }

    [Fact]
    public void Versions_chosen_are_served_and_not_deprecated_and_aliases_collapse_into_the_newest()
    {
        var files = Generate(WidgetCrd(
            Version("v1", served: true, storage: true, WidgetSpec()),
            Version("v1beta1", served: true, storage: false, WidgetSpec()),
            Version("v1beta2", served: true, storage: false, Typed("object", ("properties", Obj(("size", Typed("integer"))))))));
        var withDeprecated = Generate(WidgetCrd(
            Version("v2", served: true, storage: true, WidgetSpec()),
            Version("v1alpha1", served: true, storage: false, Typed("object", ("properties", Obj(("x", Typed("string"))))), deprecated: true),
            Version("v1alpha2", served: false, storage: false, Typed("object", ("properties", Obj(("y", Typed("string"))))))));

        Assert.Equal(
            ["CrdJsonContexts.g.cs", "CrdKinds.g.cs",
             "widgets.example.com/v1/Widget.g.cs", "widgets.example.com/v1/WidgetsExampleV1JsonContext.g.cs",
             "widgets.example.com/v1beta2/Widget.g.cs", "widgets.example.com/v1beta2/WidgetsExampleV1beta2JsonContext.g.cs"],
            files.Select(f => f.Path));
        Assert.Equal(
            ["CrdJsonContexts.g.cs", "CrdKinds.g.cs", "widgets.example.com/v2/Widget.g.cs", "widgets.example.com/v2/WidgetsExampleV2JsonContext.g.cs"],
            withDeprecated.Select(f => f.Path));
        Assert.Contains(
            "new(typeof(global::MeshStack.Crds.Widgets.Example.V1beta2.Widget), \"widgets.example.com\", \"v1beta2\", \"Widget\", \"widgets\"),",
            files.Single(f => f.Path == "CrdKinds.g.cs").Content);
        // each version's kinds get source-generated JSON metadata, in a context the registry hands to CrdJson
        var context = files.Single(f => f.Path == "widgets.example.com/v1beta2/WidgetsExampleV1beta2JsonContext.g.cs").Content;
        Assert.Contains("[JsonSerializable(typeof(Widget))]", context);
        Assert.Contains("internal sealed partial class WidgetsExampleV1beta2JsonContext : JsonSerializerContext", context);
        Assert.Contains("global::MeshStack.Crds.Widgets.Example.V1beta2.WidgetsExampleV1beta2JsonContext.Default,",
            files.Single(f => f.Path == "CrdJsonContexts.g.cs").Content);
    }

    [Fact]
    public void A_kind_defined_in_two_sources_is_an_error()
    {
        var crd = WidgetCrd(Version("v1", served: true, storage: true, WidgetSpec()));
        var twice = CrdReader.Read(crd, "a.yaml").Concat(CrdReader.Read(crd, "b.yaml"));

        var error = Assert.Throws<InvalidDataException>(() => WidgetsOnly.Choose(twice));
        Assert.Contains("a.yaml", error.Message);
        Assert.Contains("b.yaml", error.Message);
    }

    [Fact]
    public void Output_is_deterministic()
    {
        Assert.Equal(WidgetV1(), WidgetV1());
    }

    [Fact]
    public void Output_folder_sync_reports_and_applies_only_real_changes()
    {
        var folder = Directory.CreateTempSubdirectory("crdgen-test-").FullName;
        try
        {
            GeneratedFile[] files = [new("g/v1/A.g.cs", "a\n"), new("g/v1/B.g.cs", "b\n")];
            Assert.Equal(["added: g/v1/A.g.cs", "added: g/v1/B.g.cs"], OutputFolder.Sync(folder, files, write: true));
            Assert.Empty(OutputFolder.Sync(folder, files, write: false));

            File.WriteAllText(Path.Combine(folder, "g/v1/A.g.cs"), "edited\n");
            File.WriteAllText(Path.Combine(folder, "g/v1/Old.g.cs"), "stale\n");
            Assert.Equal(["changed: g/v1/A.g.cs", "removed: g/v1/Old.g.cs"], OutputFolder.Sync(folder, files, write: false));
            Assert.Equal("edited\n", File.ReadAllText(Path.Combine(folder, "g/v1/A.g.cs")));

            OutputFolder.Sync(folder, files, write: true);
            Assert.Equal("a\n", File.ReadAllText(Path.Combine(folder, "g/v1/A.g.cs")));
            Assert.False(File.Exists(Path.Combine(folder, "g/v1/Old.g.cs")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Yaml_scalars_are_typed_like_kubernetes_reads_them()
    {
        var doc = YamlJson.ReadDocuments("a: 80\nb: \"80\"\nc: 1.50\nd: true\ne: ~\nf: 10s\ng: 'true'\nh: -3\n---\n---\nx: [1, two]\n");

        Assert.Equal(2, doc.Count);
        Assert.Equal("""{"a":80,"b":"80","c":1.50,"d":true,"e":null,"f":"10s","g":"true","h":-3}""", doc[0].ToJsonString());
        Assert.Equal("""{"x":[1,"two"]}""", doc[1].ToJsonString());
        Assert.Throws<YamlDotNet.Core.YamlException>(() => YamlJson.ReadDocuments("a: 1\na: 2\n"));
    }

    [Theory]
    [InlineData("networking.istio.io", "Networking.Istio")]
    [InlineData("gateway.networking.k8s.io", "Gateway.Networking.K8s")]
    [InlineData("linkerd.io", "Linkerd")]
    [InlineData("flagger.app", "Flagger")]
    [InlineData("monitoring.coreos.com", "Monitoring.Coreos")]
    public void Group_maps_to_a_namespace_in_group_order_without_the_top_level_domain(string group, string ns)
    {
        Assert.Equal(ns, Naming.GroupNamespace(group));
    }

    [Theory]
    [InlineData("ROUND_ROBIN", "RoundRobin")]
    [InlineData("confirm-rollout", "ConfirmRollout")]
    [InlineData("PathPrefix", "PathPrefix")]
    [InlineData("gatewayapi:v1", "GatewayapiV1")]
    [InlineData("TLSV1_2", "Tlsv12")]
    [InlineData("", "Empty")]
    public void Enum_member_names_are_pascal_case(string value, string member)
    {
        Assert.Equal(member, Naming.EnumMember(value));
    }

    [Fact]
    public void Versions_order_like_kubernetes()
    {
        string[] versions = ["v1alpha1", "v1beta1", "v2", "v1", "v1beta2", "v1alpha3"];

        Assert.Equal(["v2", "v1", "v1beta2", "v1beta1", "v1alpha3", "v1alpha1"], versions.OrderDescending(KubeVersionComparer.Instance));
    }
}
