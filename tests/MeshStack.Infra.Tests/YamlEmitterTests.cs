using System.Text.Json.Nodes;
using MeshStack.Graph;
using MeshStack.Output;
using YamlDotNet.RepresentationModel;

namespace MeshStack.Tests;

/// <summary>The emitted YAML reads back as exactly the JSON it came from.</summary>
public class YamlEmitterTests
{
    public static TheoryData<string> Strings => new()
    {
        "plain",
        "",
        "true",
        "1.20",
        "0755",
        "null",
        "- leading dash",
        "key: value",
        "# not a comment",
        "quote \" and backslash \\",
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        "two trailing newlines\n\n",
        "no trailing newline\nsecond",
        "  leading spaces\nline",
        "tab\there",
        "unicode: é ü 中",
        "control \u0001 char",
        "{not: flow}",
        "[1, 2]",
        "*alias",
        "&anchor",
        // keys YAML 1.1 reads as booleans or null, and the characters a plain key may hold
        "yes",
        "Y",
        "~",
        "Off",
        "k.e/y-_9",
        "_x",
        "9lives",
        "a b",
        "a:b",
        "a$b",
        "ends with backslash \\",
    };

    [Theory]
    [MemberData(nameof(Strings))]
    public void Strings_round_trip_as_strings(string value)
    {
        var json = new JsonObject { ["value"] = value, [value.Length == 0 ? "empty" : value] = 1 };
        var parsed = Parse(YamlEmitter.Emit(json, s => s));
        var scalar = (YamlScalarNode)parsed["value"];
        Assert.Equal(value, scalar.Value);
        Assert.NotEqual(YamlDotNet.Core.ScalarStyle.Plain, scalar.Style);
        // the same text as a key reads back as that string, quoted unless it could only be a string
        var key = (YamlScalarNode)parsed.Children.Keys.Last();
        Assert.Equal(value.Length == 0 ? "empty" : value, key.Value);
        if (key.Style == YamlDotNet.Core.ScalarStyle.Plain) Assert.Matches("^[A-Za-z_][A-Za-z0-9_./-]*$", key.Value);
        Assert.DoesNotContain(key.Value!.ToLowerInvariant(), key.Style == YamlDotNet.Core.ScalarStyle.Plain ? ["yes", "y", "off", "~", "null", "true"] : Array.Empty<string>());
    }

    /// <summary>
    /// Most strings are copied from the JSON document's bytes without the text function; one holding a <c>$</c> must
    /// still reach it (the program doubles it), as must one whose JSON form is escaped.
    /// </summary>
    [Theory]
    [InlineData("pay $5", "\"pay $$5\"")]
    [InlineData("$", "\"$$\"")]
    [InlineData("<é>", "\"<é>\"")]
    [InlineData("plain", "\"plain\"")]
    public void Strings_reach_the_text_function_whenever_it_could_change_them(string value, string emitted)
    {
        var yaml = YamlEmitter.Emit(new JsonObject { [value] = value }, Expr.ToPulumiYaml);
        Assert.Equal($"{(value == "plain" ? "plain" : emitted)}: {emitted}\n", yaml);
    }

    [Fact]
    public void Nested_lists_and_objects_keep_their_shape()
    {
        var json = JsonNode.Parse("""{"a":[{"b":1,"c":[true,false,null]},[],{}],"d":{"e":{"f":2.5}},"80":"port"}""")!;
        var yaml = YamlEmitter.Emit(json, s => s);
        var back = ToJson(Parse(yaml));
        Assert.True(JsonNode.DeepEquals(json, back), yaml);
    }

    [Fact]
    public void Pulumi_form_doubles_literal_dollars_and_keeps_references()
    {
        var graph = new ResourceGraph();
        var key = graph.Add("k", TypeTokens.TlsPrivateKey, new MeshStack.Pki.PrivateKeyArgs(MeshStack.Pki.KeyAlgorithm.ECDSA, MeshStack.Pki.EcdsaCurve.P256));
        var s = $"pay $5 for {key.Output("privateKeyPem")}{key.Output("publicKeyPem")}";
        Assert.Equal("pay $$5 for ${k.privateKeyPem}${k.publicKeyPem}", Expr.ToPulumiYaml(s));
        Assert.Equal("pay $5 for ${k.privateKeyPem}${k.publicKeyPem}", Expr.ToManifest(s));
    }

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s => s.Value switch
        {
            "true" => true,
            "false" => false,
            "null" => null,
            var v when long.TryParse(v, out var l) => l,
            var v => double.Parse(v!, System.Globalization.CultureInfo.InvariantCulture),
        },
        YamlScalarNode s => s.Value,
        _ => throw new InvalidOperationException(),
    };
}
