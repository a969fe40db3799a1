using System.Text.Json.Nodes;

namespace MeshStack.CrdGen;

/// <summary>Comparisons of schemas that ignore prose: descriptions never change the generated types.</summary>
public static class SchemaText
{
    /// <summary>The schema as compact JSON with every "description" removed, keeping key order.</summary>
    public static string WithoutDescriptions(JsonNode? schema) => Strip(schema)?.ToJsonString() ?? "null";

    public static bool Equivalent(JsonNode? a, JsonNode? b) => WithoutDescriptions(a) == WithoutDescriptions(b);

    private static JsonNode? Strip(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .Where(p => p.Key != "description")
            .Select(p => KeyValuePair.Create(p.Key, Strip(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Strip).ToArray()),
        _ => node?.DeepClone(),
    };
}
