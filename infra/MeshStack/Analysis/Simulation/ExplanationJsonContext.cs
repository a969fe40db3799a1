using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeshStack.Analysis.Simulation;

/// <summary>Source-generated metadata for <c>explain --format json</c> (camelCase, indented): no reflection, so the Native AOT
/// compiler writes what the JIT build writes.</summary>
[JsonSerializable(typeof(Explanation))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
internal sealed partial class ExplanationJsonContext : JsonSerializerContext
{
}
