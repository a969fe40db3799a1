using System.Text.RegularExpressions;
using MeshStack.Graph;

namespace MeshStack.Tests;

/// <summary>
/// The targets a marked string references, as the reference checks and the emitted program see them. The regular
/// expression is the specification (the form <see cref="Expr.ToString"/> writes); the scanner must find what it finds.
/// </summary>
public class ExprTargetsTests
{
    private static readonly Regex Specification = new("\uE000\\{(?<target>[^}.\\[]+)(?<path>[^}]*)\\}");

    public static TheoryData<string> Strings => new()
    {
        "no reference",
        "\uE000{a}",
        "\uE000{a.b.c}",
        "\uE000{a[0].b}",
        "x\uE000{a}y\uE000{b.c}z",
        "\uE000{}",
        "\uE000{.a}",
        "\uE000{a",
        "\uE000{a.b",
        "\uE000",
        "\uE000\uE000{a}",
        "\uE000{\uE000{a}}",
        "\uE000{a}}\uE000{b}",
        "\uE000x{a}",
        "{a}\uE000{",
        "\uE000{a b}",
    };

    [Theory]
    [MemberData(nameof(Strings))]
    public void The_scanner_finds_what_the_specification_finds(string s)
    {
        var expected = Specification.Matches(s).Select(m => m.Groups["target"].Value).ToList();
        Assert.Equal(expected, Expr.Targets(s));
    }

    [Fact]
    public void A_reference_made_by_an_output_is_found_by_its_resource_name()
    {
        var graph = new ResourceGraph();
        var key = graph.Add("root-key", TypeTokens.TlsPrivateKey, new MeshStack.Pki.PrivateKeyArgs(MeshStack.Pki.KeyAlgorithm.ECDSA, MeshStack.Pki.EcdsaCurve.P256));
        Assert.Equal(["root-key", "root-key"], Expr.Targets($"{key.Output("privateKeyPem")} and {key.Output("status.x[0]")}"));
    }
}
