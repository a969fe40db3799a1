using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshStack.Analysis.Formats;

/// <summary>
/// SARIF 2.1.0, for code-scanning annotations: one run, every rule in the driver, one result per finding, located at
/// the file a reviewer would change (the stack file, or the manifest of a checked render directory) and logically
/// at the object.
/// </summary>
public static class SarifFormat
{
    private const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static string Write(AnalysisReport report, IReadOnlyList<AnalysisRule> rules, Func<Finding, string> artifactOf)
    {
        var index = rules.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var driverRules = new JsonArray(rules.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Id,
            ["shortDescription"] = new JsonObject { ["text"] = r.Summary },
            ["defaultConfiguration"] = new JsonObject { ["level"] = Level(r.Level) },
        }).ToArray());
        var results = new JsonArray(report.Findings.Select(f => (JsonNode)new JsonObject
        {
            ["ruleId"] = f.Rule,
            ["ruleIndex"] = index.TryGetValue(f.Rule, out var i) ? i : -1,
            ["level"] = Level(f.Level),
            ["message"] = new JsonObject { ["text"] = $"{f.Object}: {f.Message} (fix: {f.Fix})" },
            ["locations"] = new JsonArray(new JsonObject
            {
                ["physicalLocation"] = new JsonObject { ["artifactLocation"] = new JsonObject { ["uri"] = artifactOf(f) } },
                ["logicalLocations"] = new JsonArray(new JsonObject
                {
                    ["fullyQualifiedName"] = f.Object.ToString(),
                    ["kind"] = "resource",
                }),
            }),
        }).ToArray());
        var sarif = new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject { ["name"] = "meshstack-check", ["rules"] = driverRules },
                },
                ["results"] = results,
            }),
        };
        return sarif.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string Level(FindingLevel level) => level switch
    {
        FindingLevel.Error => "error",
        FindingLevel.Warning => "warning",
        _ => "note",
    };
}
