using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MeshStack.CrdGen;

namespace MeshStack.Crds.Tests;

/// <summary>
/// Every generated kind, checked field by field against its upstream schema: each schema field has a property
/// with its exact JSON name, required fields are C# required members, and no property exists that the schema
/// does not declare. This covers the kinds no example or sample touches.
/// </summary>
public sealed class GeneratedStructureTests
{
    public static TheoryData<string> Kinds() => new(CrdKinds.All.Select(k => $"{k.ApiVersion} {k.Kind}"));

    [UpstreamTheory]
    [MemberData(nameof(Kinds))]
    public void Generated_kind_matches_its_schema_field_by_field(string name)
    {
        var kind = CrdKinds.All.Single(k => $"{k.ApiVersion} {k.Kind}" == name);
        var crd = Upstream.Crd(kind);
        var problems = new List<string>();

        var top = (JsonObject)crd.Schema.DeepClone();
        foreach (var fixedField in new[] { "apiVersion", "kind", "metadata", "status" })
        {
            (top["properties"] as JsonObject)?.Remove(fixedField);
        }
        var members = Members(kind.Type).Where(m => m.Json is not ("apiVersion" or "kind" or "metadata")).ToList();
        Compare(kind.Type, members, top, kind.Kind, problems);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private sealed record Member(string Json, PropertyInfo Property, bool Required);

    private static IEnumerable<Member> Members(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetCustomAttribute<JsonExtensionDataAttribute>() is null)
        .Select(p => new Member(
            p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? "<" + p.Name + " has no JSON name>",
            p,
            p.GetCustomAttribute<RequiredMemberAttribute>() is not null));

    private static void Compare(Type type, List<Member> members, JsonObject schema, string path, List<string> problems)
    {
        var properties = schema["properties"] as JsonObject ?? new JsonObject();
        var required = (schema["required"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToHashSet() ?? [];
        var byName = members.ToDictionary(m => m.Json);

        foreach (var (name, value) in properties)
        {
            if (!byName.TryGetValue(name, out var member))
            {
                problems.Add($"{path}.{name}: no property on {type.Name}");
                continue;
            }
            if (member.Required != required.Contains(name))
            {
                problems.Add($"{path}.{name}: required is {required.Contains(name)} in the schema, {member.Required} in C#");
            }
            CompareValue(member.Property.PropertyType, (JsonObject)value!, $"{path}.{name}", problems);
        }
        foreach (var extra in members.Where(m => !properties.ContainsKey(m.Json)))
        {
            problems.Add($"{path}: {type.Name}.{extra.Property.Name} ({extra.Json}) is not in the schema");
        }
    }

    private static void CompareValue(Type type, JsonObject schema, string path, List<string> problems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var schemaType = schema["type"]?.GetValue<string>();
        if (schema["x-kubernetes-int-or-string"] is JsonValue v && v.GetValue<bool>())
        {
            Expect(type == typeof(IntOrString), type, "IntOrString", path, problems);
            return;
        }
        if (schema["enum"] is JsonArray values && schemaType is "string" or "integer")
        {
            if (!type.IsEnum)
            {
                problems.Add($"{path}: enum in the schema, {type.Name} in C#");
                return;
            }
            var expected = values.OfType<JsonValue>().Select(Text).ToList();
            var actual = Enum.GetValues(type).Cast<object>().Select(e => Text((JsonValue)CrdJson.ToNode(e))).ToList();
            if (!expected.SequenceEqual(actual))
            {
                problems.Add($"{path}: enum values {string.Join(",", expected)} in the schema, {string.Join(",", actual)} in C#");
            }
            return;
        }
        switch (schemaType)
        {
            case "string":
                Expect(type == typeof(string), type, "string", path, problems);
                break;
            case "boolean":
                Expect(type == typeof(bool), type, "bool", path, problems);
                break;
            case "number":
                Expect(type == typeof(double), type, "double", path, problems);
                break;
            case "integer":
                Expect(type == typeof(int) || type == typeof(long), type, "int or long", path, problems);
                break;
            case "array":
                if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(List<>))
                {
                    problems.Add($"{path}: array in the schema, {type.Name} in C#");
                }
                else if (schema["items"] is JsonObject items)
                {
                    CompareValue(type.GetGenericArguments()[0], items, path + "[]", problems);
                }
                break;
            case "object" when schema["properties"] is JsonObject { Count: > 0 }:
                Compare(type, Members(type).ToList(), schema, path, problems);
                break;
            case "object" when schema["additionalProperties"] is JsonObject valueSchema
                && schema["x-kubernetes-preserve-unknown-fields"] is null:
                if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(Dictionary<,>))
                {
                    problems.Add($"{path}: map in the schema, {type.Name} in C#");
                }
                else
                {
                    CompareValue(type.GetGenericArguments()[1], valueSchema, path + "{}", problems);
                }
                break;
            case "object":
                Expect(type == typeof(JsonObject), type, "JsonObject", path, problems);
                break;
            default:
                Expect(type == typeof(JsonNode), type, "JsonNode", path, problems);
                break;
        }
    }

    private static string Text(JsonValue value) =>
        value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

    private static void Expect(bool ok, Type actual, string expected, string path, List<string> problems)
    {
        if (!ok)
        {
            problems.Add($"{path}: {expected} expected, {actual.Name} found");
        }
    }

    [UpstreamFact]
    public void Every_selected_source_contributes_kinds()
    {
        var sources = Selection.Default.Choose(Upstream.Crds).Select(c => c.Source.Split('/')[0]).ToHashSet();

        Assert.Equal(["flagger", "gateway-api", "istio", "linkerd", "prometheus-operator"], sources.Order(StringComparer.Ordinal));
    }
}
