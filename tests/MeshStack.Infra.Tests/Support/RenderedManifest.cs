using System.Text.Json.Nodes;
using MeshStack.Output;

namespace MeshStack.Tests.Support;

/// <summary>Reads a rendered manifest back from its YAML text, so tests judge exactly what render writes.</summary>
public static class RenderedManifest
{
    public static JsonObject Parse(this ManifestFile manifest) =>
        (JsonObject)MeshStack.Analysis.YamlDocuments.Parse(manifest.Yaml)[0]!;
}
