using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MeshStack.CrdGen;
using NJsonSchema;
using NJsonSchema.Validation;

namespace MeshStack.Crds.Tests;

/// <summary>
/// Validates JSON against a CRD version's structural schema with NJsonSchema. The API server prunes fields a
/// structural schema does not declare, so the validator treats every declared object as closed
/// (additionalProperties: false) unless it keeps unknown fields: a field the CRD does not know is an error
/// here, not something dropped silently later. CEL rules (x-kubernetes-validations) are not evaluated.
/// </summary>
public static class CrdSchemaValidator
{
    private static readonly ConcurrentDictionary<CrdVersion, JsonSchema> Schemas = new();

    /// <summary>Every validation error, as "path: kind" lines; empty when the document is valid.</summary>
    public static IReadOnlyList<string> Validate(CrdVersion crd, JsonNode document)
    {
        var schema = Schemas.GetOrAdd(crd, c => JsonSchema.FromJsonAsync(Closed(c.Schema).ToJsonString()).GetAwaiter().GetResult());
        return Flatten(schema.Validate(document.ToJsonString())).ToList();
    }

    private static IEnumerable<string> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            yield return $"{error.Path}: {error.Kind}";
            if (error is ChildSchemaValidationError child)
            {
                foreach (var inner in child.Errors.SelectMany(e => Flatten(e.Value)))
                {
                    yield return "  " + inner;
                }
            }
        }
    }

    /// <summary>A copy of the schema with every structural object closed.</summary>
    public static JsonObject Closed(JsonObject schema)
    {
        var copy = (JsonObject)schema.DeepClone();
        // The API server gives every resource these three, whether or not the CRD lists them (Istio's do not).
        if (copy["properties"] is JsonObject root)
        {
            root.TryAdd("apiVersion", new JsonObject { ["type"] = "string" });
            root.TryAdd("kind", new JsonObject { ["type"] = "string" });
            root.TryAdd("metadata", new JsonObject { ["type"] = "object" });
        }
        Close(copy);
        return copy;
    }

    private static void Close(JsonObject schema)
    {
        if (schema["properties"] is JsonObject properties)
        {
            var keepsUnknown = schema["x-kubernetes-preserve-unknown-fields"] is JsonValue v && v.GetValue<bool>();
            if (!keepsUnknown && !schema.ContainsKey("additionalProperties"))
            {
                schema["additionalProperties"] = false;
            }
            foreach (var (_, property) in properties)
            {
                if (property is JsonObject p)
                {
                    Close(p);
                }
            }
        }
        if (schema["items"] is JsonObject items)
        {
            Close(items);
        }
        if (schema["additionalProperties"] is JsonObject values)
        {
            Close(values);
        }
        // anyOf/oneOf/allOf/not branches only add constraints to the node they sit on; closing them would
        // reject the fields their siblings declare.
    }
}
