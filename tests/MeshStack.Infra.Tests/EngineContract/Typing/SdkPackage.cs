using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshStack.Tests.EngineContract.Typing;

/// <summary>
/// One Pulumi provider SDK as published to npm (<c>@pulumi/&lt;package&gt;</c>), read straight from its tarball:
/// the declarations of each resource's <c>*Args</c> and of the nested input types in <c>types/input.d.ts</c>.
/// These interfaces are generated from the provider schema the engine type-checks a YAML program against.
/// </summary>
public sealed partial class SdkPackage
{
    private const string InputsFile = "types/input.d.ts";

    private readonly IReadOnlyDictionary<string, string> _declarations;
    private readonly IReadOnlyDictionary<string, string> _resources;
    private readonly Lazy<IReadOnlyDictionary<string, SdkInterface>> _inputs;
    private readonly ConcurrentDictionary<string, Lazy<IReadOnlyDictionary<string, SdkInterface>>> _files = new(StringComparer.Ordinal);

    private SdkPackage(string name, string version, IReadOnlyDictionary<string, string> declarations, IReadOnlyDictionary<string, string> resources)
    {
        _resources = resources;
        Name = name;
        Version = version;
        _declarations = declarations;
        _inputs = new Lazy<IReadOnlyDictionary<string, SdkInterface>>(() =>
            _declarations.TryGetValue(InputsFile, out var text)
                ? DeclarationParser.Interfaces(text, InputsFile)
                : new Dictionary<string, SdkInterface>());
    }

    /// <summary>The npm package name, <c>@pulumi/kubernetes</c>.</summary>
    public string Name { get; }

    /// <summary>The version in the tarball's <c>package.json</c>.</summary>
    public string Version { get; }

    /// <summary>
    /// Reads an <c>npm pack</c> tarball in memory: <c>package.json</c>, the <c>.d.ts</c> files, and which resource
    /// type token each module registers (the one <c>static __pulumiType</c> of its class), so a token finds its
    /// declarations however the generator spelled the file (<c>IPAddress</c> is <c>ipaddress.d.ts</c>).
    /// </summary>
    public static SdkPackage Read(string tarball)
    {
        var declarations = new Dictionary<string, string>(StringComparer.Ordinal);
        var resources = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonNode? manifest = null;
        using (var file = File.OpenRead(tarball))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                // npm pack puts everything under package/
                var path = entry.Name.StartsWith("package/", StringComparison.Ordinal) ? entry.Name["package/".Length..] : entry.Name;
                var module = path.EndsWith(".js", StringComparison.Ordinal);
                var wanted = module || path == "package.json" || (path.EndsWith(".d.ts", StringComparison.Ordinal) && path != "types/output.d.ts");
                if (!wanted || entry.DataStream is null) continue;
                using var reader = new StreamReader(entry.DataStream);
                var text = reader.ReadToEnd();
                if (path == "package.json") manifest = JsonNode.Parse(text);
                else if (!module) declarations[path] = text;
                else if (RegisteredType().Match(text) is { Success: true } registered)
                    resources[Token(registered.Groups[1].Value)] = path[..^".js".Length] + ".d.ts";
            }
        }
        var name = manifest?["name"]?.GetValue<string>() ?? throw new InvalidDataException($"{tarball}: no package.json name");
        var version = manifest["version"]?.GetValue<string>() ?? throw new InvalidDataException($"{tarball}: no package.json version");
        return new SdkPackage(name, version, declarations, resources);
    }

    /// <summary>Every nested input type of <c>types/input.d.ts</c>, by namespaced name.</summary>
    public IReadOnlyDictionary<string, SdkInterface> Inputs => _inputs.Value;

    /// <summary>The text of one declaration file of the package (path below <c>package/</c>), or null.</summary>
    public string? Declaration(string file) => _declarations.GetValueOrDefault(file);

    /// <summary>A nested input type by namespaced name (<c>core.v1.PodSpec</c>), or null when the SDK has none.</summary>
    public SdkInterface? Input(string name) => _inputs.Value.GetValueOrDefault(name);

    /// <summary>
    /// The declaration file and interface of a resource type token's arguments: the file beside the module that
    /// registers the token (its <c>__pulumiType</c>), and <c>&lt;Type&gt;Args</c>. Null when the SDK has no such resource.
    /// </summary>
    public (string File, string Interface)? ArgsLocation(string token) =>
        _resources.TryGetValue(token, out var file)
            ? (file, token.StartsWith("pulumi:providers:", StringComparison.Ordinal) ? "ProviderArgs" : token[(token.LastIndexOf(':') + 1)..] + "Args")
            : null;

    /// <summary>The <c>*Args</c> interface of a resource type token, or null when the SDK declares none there.</summary>
    public SdkInterface? Args(string token)
    {
        if (ArgsLocation(token) is not var (file, name) || !_declarations.TryGetValue(file, out var text)) return null;
        var interfaces = _files.GetOrAdd(file, f => new Lazy<IReadOnlyDictionary<string, SdkInterface>>(() => DeclarationParser.Interfaces(text, f))).Value;
        return interfaces.GetValueOrDefault(name);
    }

    /// <summary>A provider registers as its bare package name; the engine's token for it is <c>pulumi:providers:&lt;package&gt;</c>.</summary>
    private static string Token(string registered) =>
        registered.Contains(':', StringComparison.Ordinal) ? registered : $"pulumi:providers:{registered}";

    [GeneratedRegex(@"static __pulumiType = '([^']+)'")]
    private static partial Regex RegisteredType();
}
