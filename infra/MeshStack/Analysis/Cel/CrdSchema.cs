using System.Text.Json.Nodes;

namespace MeshStack.Analysis.Cel;

/// <summary>One served version of a CRD: its kind and the structural schema, whose nodes carry x-kubernetes-validations.</summary>
public sealed record CrdSchema(string Group, string Version, string Kind, JsonObject Schema, string Source)
{
    public string ApiVersion => $"{Group}/{Version}";

    /// <summary>Every CEL rule of the schema that applies on create; transition rules (oldSelf) run only on update and are left out.</summary>
    public int RuleCount => Count(Schema);

    private static int Count(JsonNode? node) => node is not JsonObject o ? 0
        : Json.Objects(o["x-kubernetes-validations"]).Count(v => !(Json.Str(v["rule"]) ?? "").Contains("oldSelf", StringComparison.Ordinal))
          + (o["properties"] as JsonObject ?? []).Sum(p => Count(p.Value)) + Count(o["items"]) + Count(o["additionalProperties"]);
}
