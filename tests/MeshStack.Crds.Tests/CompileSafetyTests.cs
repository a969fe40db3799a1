using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MeshStack.Crds.Tests;

/// <summary>
/// What the types rule out at compile time, shown by compiling snippets against MeshStack.Crds: a misspelled
/// field, a value outside an enum, a missing required field, a wrong value type.
/// </summary>
public sealed class CompileSafetyTests
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray());

    /// <summary>A VirtualService and a DestinationRule as the infra writes them; each test changes one line.</summary>
    private const string Valid = """
        using MeshStack.Crds.Networking.Istio.V1;

        public static class Snippet
        {
            public static object[] Build() =>
            [
                new VirtualService
                {
                    Metadata = new() { Name = "reviews" },
                    Spec = new VirtualServiceSpec
                    {
                        Hosts = ["reviews"],
                        Http = [new() { Route = [new() { Destination = new() { Host = "reviews", Subset = "v1" }, Weight = 100 }] }],
                    },
                },
                new DestinationRule
                {
                    Metadata = new() { Name = "reviews" },
                    Spec = new()
                    {
                        Host = "reviews",
                        TrafficPolicy = new() { LoadBalancer = new() { Simple = DestinationRuleSpecTrafficPolicyLoadBalancerSimple.RoundRobin } },
                    },
                },
            ];
        }
        """;

    private static IReadOnlyList<Diagnostic> Errors(string source)
    {
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }

    private static Diagnostic SingleError(string source)
    {
        var errors = Errors(source);
        Assert.True(errors.Count == 1, string.Join("\n", errors));
        return errors[0];
    }

    private static string Replace(string find, string replacement)
    {
        Assert.Contains(find, Valid);
        return Valid.Replace(find, replacement, StringComparison.Ordinal);
    }

    [Fact]
    public void The_valid_snippet_compiles()
    {
        Assert.Empty(Errors(Valid));
    }

    [Fact]
    public void A_misspelled_field_does_not_compile()
    {
        var error = SingleError(Replace("Hosts = [\"reviews\"]", "Hostz = [\"reviews\"]"));

        Assert.Equal("CS0117", error.Id);
        Assert.Contains("Hostz", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void An_enum_value_upstream_does_not_define_does_not_compile()
    {
        var misspelledMember = SingleError(Replace(".RoundRobin", ".RoundRobbin"));
        var upstreamSpellingAsString = SingleError(Replace("DestinationRuleSpecTrafficPolicyLoadBalancerSimple.RoundRobin", "\"ROUND_ROBIN\""));
        var number = SingleError(Replace("DestinationRuleSpecTrafficPolicyLoadBalancerSimple.RoundRobin", "4"));

        Assert.Equal("CS0117", misspelledMember.Id);
        Assert.Equal("CS0029", upstreamSpellingAsString.Id);
        Assert.Equal("CS0266", number.Id);
    }

    [Fact]
    public void Leaving_out_a_required_field_does_not_compile()
    {
        var error = SingleError(Replace("Destination = new() { Host = \"reviews\", Subset = \"v1\" }", "Destination = new() { Subset = \"v1\" }"));

        Assert.Equal("CS9035", error.Id);
        Assert.Contains("Host", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_value_of_the_wrong_type_does_not_compile()
    {
        var error = SingleError(Replace("Weight = 100", "Weight = \"100%\""));

        Assert.Equal("CS0029", error.Id);
    }
}
