using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace MeshStack.Tests.EngineContract.Typing;

/// <summary>
/// One Pulumi provider SDK as published to npm (<c>@pulumi/&lt;package&gt;</c>), read straight from its tarball:
/// the declarations of each resource's <c>*Args</c> and of the nested input types in <c>types/input.d.ts</c>.
/// These interfaces are generated from the provider schema the engine type-checks a YAML program against.
/// </summary>
public sealed class SdkPackage
{
    private const string InputsFile = "types/input.d.ts";

    private readonly IReadOnlyDictionary<string, string> _declarations;
    private readonly Lazy<IReadOnlyDictionary<string, SdkInterface>> _inputs;
    private readonly ConcurrentDictionary<string, Lazy<IReadOnlyDictionary<string, SdkInterface>>> _files = new(StringComparer.Ordinal);

    private SdkPackage(string name, string version, IReadOnlyDictionary<string, string> declarations)
    {
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

    /// <summary>Reads the <c>.d.ts</c> files and <c>package.json</c> of an <c>npm pack</c> tarball, in memory.</summary>
    public static SdkPackage Read(string tarball)
    {
        var declarations = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonNode? manifest = null;
        using (var file = File.OpenRead(tarball))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                // npm pack puts everything under package/
                var path = entry.Name.StartsWith("package/", StringComparison.Ordinal) ? entry.Name["package/".Length..] : entry.Name;
                var wanted = path == "package.json" || (path.EndsWith(".d.ts", StringComparison.Ordinal) && path != "types/output.d.ts");
                if (!wanted || entry.DataStream is null) continue;
                using var reader = new StreamReader(entry.DataStream);
                var text = reader.ReadToEnd();
                if (path == "package.json") manifest = JsonNode.Parse(text);
                else declarations[path] = text;
            }
        }
        var name = manifest?["name"]?.GetValue<string>() ?? throw new InvalidDataException($"{tarball}: no package.json name");
        var version = manifest["version"]?.GetValue<string>() ?? throw new InvalidDataException($"{tarball}: no package.json version");
        return new SdkPackage(name, version, declarations);
    }

    /// <summary>Every nested input type of <c>types/input.d.ts</c>, by namespaced name.</summary>
    public IReadOnlyDictionary<string, SdkInterface> Inputs => _inputs.Value;

    /// <summary>The text of one declaration file of the package (path below <c>package/</c>), or null.</summary>
    public string? Declaration(string file) => _declarations.GetValueOrDefault(file);

    /// <summary>A nested input type by namespaced name (<c>core.v1.PodSpec</c>), or null when the SDK has none.</summary>
    public SdkInterface? Input(string name) => _inputs.Value.GetValueOrDefault(name);

    /// <summary>The declaration file and interface of a resource type token's arguments.</summary>
    public static (string File, string Interface) ArgsLocation(string token)
    {
        var parts = token.Split(':');
        if (parts.Length != 3) throw new ArgumentException($"'{token}' is not a Pulumi type token (package:module:Type)", nameof(token));
        if (parts[0] == "pulumi" && parts[1] == "providers") return ("provider.d.ts", "ProviderArgs");
        var (module, type) = (parts[1], parts[2]);
        var fileStem = char.ToLowerInvariant(type[0]) + type[1..];
        var segments = module.Split('/');
        var file = segments switch
        {
            // tls:index/privateKey:PrivateKey -> privateKey.d.ts
            ["index", var stem] => $"{stem}.d.ts",
            ["index"] => $"{fileStem}.d.ts",
            // kubernetes:apps/v1:Deployment -> apps/v1/deployment.d.ts; the SDK folder is the API group's first label
            // (helm.sh -> helm, networking.k8s.io -> networking)
            [var group, var version] => $"{group.Split('.')[0]}/{version}/{fileStem}.d.ts",
            _ => $"{module}/{fileStem}.d.ts",
        };
        return (file, type + "Args");
    }

    /// <summary>The <c>*Args</c> interface of a resource type token, or null when the SDK declares none there.</summary>
    public SdkInterface? Args(string token)
    {
        var (file, name) = ArgsLocation(token);
        if (!_declarations.TryGetValue(file, out var text)) return null;
        var interfaces = _files.GetOrAdd(file, f => new Lazy<IReadOnlyDictionary<string, SdkInterface>>(() => DeclarationParser.Interfaces(text, f))).Value;
        return interfaces.GetValueOrDefault(name);
    }
}
