using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshStack.Analysis.Formats;

/// <summary>An array of <c>{level, rule, cluster, kind, namespace, name, message, fix}</c>.</summary>
public static class JsonFormat
{
    public static string Write(AnalysisReport report) =>
        new JsonArray(report.Findings.Select(f => (JsonNode)new JsonObject
        {
            ["level"] = f.LevelName,
            ["rule"] = f.Rule,
            ["cluster"] = f.Object.Cluster,
            ["kind"] = f.Object.Kind,
            ["namespace"] = f.Object.Namespace,
            ["name"] = f.Object.Name,
            ["message"] = f.Message,
            ["fix"] = f.Fix,
        }).ToArray()).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
}
