using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MeshStack.Crds.Networking.Istio.V1;
using LinkerdServer = MeshStack.Crds.Policy.Linkerd.V1beta3.Server;

namespace MeshStack.Crds.Tests;

/// <summary>The wire form CrdJson gives the generated types and V1ObjectMeta.</summary>
public sealed class CrdJsonTests
{
    private static VirtualService Reviews() => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "reviews",
            NamespaceProperty = "shop",
            Labels = new Dictionary<string, string> { ["app"] = "reviews" },
        },
        Spec = new VirtualServiceSpec
        {
            Hosts = ["reviews"],
            Http =
            [
                new VirtualServiceSpecHttp
                {
                    Route =
                    [
                        new VirtualServiceSpecHttpRoute { Destination = new() { Host = "reviews", Subset = "v1" }, Weight = 90 },
                        new VirtualServiceSpecHttpRoute { Destination = new() { Host = "reviews", Subset = "v2" }, Weight = 10 },
                    ],
                    Timeout = "10s",
                },
            ],
        },
    };

    [Fact]
    public void Every_generated_kind_has_source_generated_metadata()
    {
        foreach (var kind in CrdKinds.All)
        {
            var info = CrdJson.Options.GetTypeInfo(kind.Type);
            Assert.Contains(info.Properties, p => p.Name == "spec" || p.Name == "metadata");
        }
    }

    /// <summary>A type the generated contexts do not list fails loudly instead of falling back to reflection, which
    /// Native AOT cannot do (the trimmed binary would drop members or abort).</summary>
    [Fact]
    public void A_type_without_generated_metadata_is_refused_not_serialized_by_reflection()
    {
        var error = Assert.Throws<NotSupportedException>(() => CrdJson.ToNode(new NotGenerated { Name = "x" }));
        Assert.Contains(nameof(NotGenerated), error.Message);
    }

    public sealed class NotGenerated
    {
        public required string Name { get; init; }
    }

    [Fact]
    public void Resource_serializes_with_upstream_names_constants_and_no_nulls()
    {
        var json = CrdJson.ToJson(Reviews());

        Assert.Equal(
            """{"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"labels":{"app":"reviews"},"name":"reviews","namespace":"shop"},"spec":{"hosts":["reviews"],"http":[{"route":[{"destination":{"host":"reviews","subset":"v1"},"weight":90},{"destination":{"host":"reviews","subset":"v2"},"weight":10}],"timeout":"10s"}]}}""",
            json);
    }

    [Fact]
    public void Property_order_is_declaration_order_which_is_schema_order()
    {
        var spec = (JsonObject)CrdJson.ToNode(new VirtualServiceSpec
        {
            Tls = [],
            Hosts = ["a"],
            ExportTo = ["."],
            Gateways = ["mesh"],
        });

        // Istio's schema lists exportTo, gateways, hosts, http, tcp, tls: the initializer's order does not matter.
        Assert.Equal(["exportTo", "gateways", "hosts", "tls"], spec.Select(p => p.Key));
    }

    [Fact]
    public void Resource_implements_the_kubernetes_object_interface_with_its_constants()
    {
        IKubernetesObject<V1ObjectMeta> resource = Reviews();

        Assert.Equal("networking.istio.io/v1", resource.ApiVersion);
        Assert.Equal("VirtualService", resource.Kind);
        Assert.Equal("reviews", resource.Metadata.Name);
        Assert.Equal("networking.istio.io", VirtualService.KubeGroup);
        Assert.Equal("v1", VirtualService.KubeApiVersion);
        Assert.Equal("virtualservices", VirtualService.KubePluralName);
    }

    [Fact]
    public void Enum_serializes_to_the_exact_upstream_string_and_reads_back()
    {
        var rule = new DestinationRuleSpecTrafficPolicy
        {
            LoadBalancer = new() { Simple = DestinationRuleSpecTrafficPolicyLoadBalancerSimple.LeastRequest },
            Tls = new() { Mode = DestinationRuleSpecTrafficPolicyTlsMode.IstioMutual },
        };

        var node = CrdJson.ToNode(rule);

        Assert.Equal("LEAST_REQUEST", node["loadBalancer"]!["simple"]!.GetValue<string>());
        Assert.Equal("ISTIO_MUTUAL", node["tls"]!["mode"]!.GetValue<string>());
        var back = CrdJson.Deserialize<DestinationRuleSpecTrafficPolicy>(node);
        Assert.Equal(DestinationRuleSpecTrafficPolicyLoadBalancerSimple.LeastRequest, back.LoadBalancer!.Simple);
    }

    [Theory]
    [InlineData("\"least_request\"")]
    [InlineData("\"LeastRequest\"")]
    [InlineData("\"FASTEST\"")]
    [InlineData("3")]
    public void Enum_rejects_any_value_upstream_does_not_allow(string simple)
    {
        var json = $$"""{"simple":{{simple}}}""";

        var error = Assert.Throws<JsonException>(() => CrdJson.Deserialize<DestinationRuleSpecTrafficPolicyLoadBalancer>(json));
        Assert.Contains(nameof(DestinationRuleSpecTrafficPolicyLoadBalancerSimple), error.Message);
    }

    [Fact]
    public void Enum_value_outside_the_defined_members_cannot_be_written()
    {
        var balancer = new DestinationRuleSpecTrafficPolicyLoadBalancer { Simple = (DestinationRuleSpecTrafficPolicyLoadBalancerSimple)42 };

        Assert.Throws<JsonException>(() => CrdJson.ToNode(balancer));
    }

    [Fact]
    public void Integer_enum_is_written_as_its_number()
    {
        var redirect = new Gateway.Networking.K8s.V1.HTTPRouteSpecRulesFiltersRequestRedirect
        {
            StatusCode = Gateway.Networking.K8s.V1.HTTPRouteSpecRulesFiltersRequestRedirectStatusCode.Value301,
        };

        Assert.Equal("""{"statusCode":301}""", CrdJson.ToJson(redirect));
        Assert.Throws<JsonException>(() => CrdJson.Deserialize<Gateway.Networking.K8s.V1.HTTPRouteSpecRulesFiltersRequestRedirect>("""{"statusCode":304}"""));
    }

    [Fact]
    public void Int_or_string_keeps_whichever_it_was_given_both_ways()
    {
        var server = new LinkerdServer
        {
            Metadata = new() { Name = "web" },
            Spec = new() { Port = 8080, PodSelector = new() { MatchLabels = new JsonObject { ["app"] = "web" } } },
        };
        var named = new LinkerdServer
        {
            Metadata = new() { Name = "web-http" },
            Spec = new() { Port = "http", PodSelector = new() },
        };

        Assert.Equal(8080, CrdJson.ToNode(server)["spec"]!["port"]!.GetValue<int>());
        Assert.Equal("http", CrdJson.ToNode(named)["spec"]!["port"]!.GetValue<string>());

        var numericString = CrdJson.Deserialize<LinkerdServer>(
            """{"apiVersion":"policy.linkerd.io/v1beta3","kind":"Server","metadata":{"name":"s"},"spec":{"port":"8080","podSelector":{}}}""");
        Assert.False(numericString.Spec!.Port.IsInt);
        Assert.Equal("\"8080\"", CrdJson.ToNode(numericString)["spec"]!["port"]!.ToJsonString());
    }

    [Fact]
    public void Int_or_string_exposes_its_value_and_compares_by_kind_and_value()
    {
        IntOrString number = 80;
        IntOrString name = "http";

        Assert.True(number.IsInt);
        Assert.Equal(80, number.IntValue);
        Assert.Equal("http", name.StringValue);
        Assert.Throws<InvalidOperationException>(() => name.IntValue);
        Assert.NotEqual(new IntOrString(80), new IntOrString("80"));
        Assert.Equal(new IntOrString("80"), IntOrString.FromString("80"));
    }

    [Fact]
    public void Free_form_fields_take_any_json()
    {
        var filter = new Networking.Istio.V1alpha3.EnvoyFilterSpecConfigPatchesPatch
        {
            Value = new JsonObject { ["name"] = "envoy.lua", ["typed_config"] = new JsonObject { ["inlineCode"] = "-- lua" } },
        };

        Assert.Equal("""{"value":{"name":"envoy.lua","typed_config":{"inlineCode":"-- lua"}}}""", CrdJson.ToJson(filter));
    }

    [Fact]
    public void Reading_rejects_a_field_the_type_does_not_have()
    {
        const string misspelled = """{"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"r"},"spec":{"hostz":["r"]}}""";

        var error = Assert.Throws<JsonException>(() => CrdJson.Deserialize<VirtualService>(misspelled));
        Assert.Contains("hostz", error.Message);
    }

    [Fact]
    public void Reading_rejects_a_missing_required_field()
    {
        const string noHost = """{"destination":{"subset":"v1"}}""";

        var error = Assert.Throws<JsonException>(() => CrdJson.Deserialize<VirtualServiceSpecHttpRoute>(noHost));
        Assert.Contains("host", error.Message);
    }

    [Fact]
    public void Reading_a_resource_checks_its_api_version_and_kind()
    {
        const string beta = """{"apiVersion":"networking.istio.io/v1beta1","kind":"VirtualService","metadata":{"name":"r"}}""";
        const string other = """{"apiVersion":"networking.istio.io/v1","kind":"DestinationRule","metadata":{"name":"r"}}""";

        Assert.Throws<JsonException>(() => CrdJson.Deserialize<VirtualService>(beta));
        Assert.Throws<JsonException>(() => CrdJson.Deserialize<VirtualService>(other));
    }

    [Fact]
    public void Untyped_read_picks_the_class_from_api_version_and_kind()
    {
        var node = JsonNode.Parse("""{"apiVersion":"policy.linkerd.io/v1alpha1","kind":"MeshTLSAuthentication","metadata":{"name":"m"},"spec":{"identities":["*"]}}""")!;

        var resource = CrdJson.Deserialize(node);

        var auth = Assert.IsType<Policy.Linkerd.V1alpha1.MeshTLSAuthentication>(resource);
        Assert.Equal(["*"], auth.Spec.Identities!);
        Assert.Throws<JsonException>(() => CrdJson.Deserialize(JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod"}""")!));
    }

    [Fact]
    public void Metadata_uses_kubernetes_names_and_timestamps()
    {
        var node = CrdJson.ToNode(new V1ObjectMeta
        {
            Name = "n",
            NamespaceProperty = "ns",
            Annotations = new Dictionary<string, string> { ["a"] = "b" },
            CreationTimestamp = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
        });

        Assert.Equal("""{"annotations":{"a":"b"},"creationTimestamp":"2026-01-02T03:04:05Z","name":"n","namespace":"ns"}""", node.ToJsonString());
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), CrdJson.Deserialize<V1ObjectMeta>(node).CreationTimestamp);
    }

    [Fact]
    public void Registry_lists_every_generated_resource_class_once()
    {
        var resourceTypes = typeof(CrdJson).Assembly.GetTypes()
            .Where(t => t.GetInterfaces().Contains(typeof(IKubernetesObject<V1ObjectMeta>)))
            .ToHashSet();

        Assert.Equal(resourceTypes, CrdKinds.All.Select(k => k.Type).ToHashSet());
        Assert.Equal(CrdKinds.All.Count, CrdKinds.All.Select(k => (k.ApiVersion, k.Kind)).Distinct().Count());
        Assert.Same(CrdKinds.Find(typeof(VirtualService)), CrdKinds.Find("networking.istio.io/v1", "VirtualService"));
        Assert.Null(CrdKinds.Find(typeof(V1Pod)));
    }
}
