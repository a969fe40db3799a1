using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MeshStack.CrdGen;

/// <summary>
/// Builds and writes the C# of one kind in one version: the resource class, then every nested type in the order
/// the schema reaches it (parents before children, properties in schema order).
/// </summary>
internal sealed class KindEmitter
{
    /// <summary>
    /// Simple names the generated code refers to; a generated type with one of these names would shadow it.
    /// </summary>
    public static readonly IReadOnlyList<string> ReservedNames =
    [
        "List", "Dictionary", "JsonNode", "JsonObject", "JsonArray", "JsonValue", "JsonPropertyName",
        "JsonPropertyNameAttribute", "JsonConverter", "JsonConverterAttribute", "JsonStringEnumMemberName",
        "JsonStringEnumMemberNameAttribute", "JsonExtensionData", "JsonExtensionDataAttribute", "IntOrString",
        "ExactStringEnumConverter", "IntegerEnumConverter", "CrdKinds", "CrdKind", "CrdJson",
        "CrdJsonContexts",
    ];

    // Members of the resource class itself (KubernetesClient's conventions) that schema properties must not take.
    private static readonly string[] ResourceMembers =
    [
        "ApiVersion", "Kind", "Metadata", "KubeGroup", "KubeApiVersion", "KubeKind", "KubePluralName", "KubeGroupVersion",
    ];

    private static readonly string[] ObjectMembers = ["Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone"];

    private readonly CrdVersion _crd;
    private readonly string _namespace;
    private readonly HashSet<string> _usedTypeNames;
    private readonly List<TypeDecl> _types = [];
    // Shape key -> type name, all decided by NameTypes before any type is declared.
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TypeDecl> _declared = new(StringComparer.Ordinal);

    public KindEmitter(CrdVersion crd, string ns, HashSet<string> usedTypeNames)
    {
        _crd = crd;
        _namespace = ns;
        _usedTypeNames = usedTypeNames;
    }

    public string Emit()
    {
        var resource = BuildResource();
        var sb = new StringBuilder();
        sb.Append(CrdGenerator.Header(
            $"{_crd.ApiVersion} {_crd.Kind}, from the upstream CRD {_crd.Source}."));
        sb.Append('\n');
        sb.Append("#nullable enable\n\n");
        sb.Append("using System.Text.Json.Nodes;\n");
        sb.Append("using System.Text.Json.Serialization;\n\n");
        sb.Append($"namespace {_namespace};\n");
        EmitResource(sb, resource);
        foreach (var type in _types)
        {
            sb.Append('\n');
            switch (type)
            {
                case ClassDecl c:
                    EmitClass(sb, c);
                    break;
                case EnumDecl e:
                    EmitEnum(sb, e);
                    break;
            }
        }
        return sb.ToString();
    }

    // ---- model ----

    private abstract class TypeDecl(string name)
    {
        public string Name { get; } = name;
        public List<string> Paths { get; } = [];
    }

    private sealed class ClassDecl(string name) : TypeDecl(name)
    {
        public List<PropDecl> Properties { get; } = [];
        /// <summary>The extension-data property's name when the schema keeps unknown fields; otherwise null.</summary>
        public string? UnknownFieldsProperty { get; set; }
    }

    private sealed class EnumDecl(string name, bool integer) : TypeDecl(name)
    {
        public bool Integer { get; } = integer;
        public List<(string Member, JsonValue Value)> Members { get; } = [];
    }

    /// <summary>A property: its JSON name, C# name and C# type (without the nullable mark).</summary>
    private sealed record PropDecl(string JsonName, string Name, string Type, bool Required, bool Nullable);

    /// <summary>What a schema becomes in C#.</summary>
    private enum Shape { IntOrString, Enum, String, Boolean, Number, Integer, Array, Map, Class, FreeObject, Any }

    private static Shape Classify(JsonObject schema)
    {
        if (Flag(schema, "x-kubernetes-int-or-string"))
        {
            return Shape.IntOrString;
        }
        var type = (schema["type"] as JsonValue)?.GetValue<string>();
        if (schema["enum"] is JsonArray && type is "string" or "integer")
        {
            return Shape.Enum;
        }
        return type switch
        {
            // Durations, quantities, dates and byte strings stay strings: exactly what the API server takes.
            "string" => Shape.String,
            "boolean" => Shape.Boolean,
            "number" => Shape.Number,
            "integer" => Shape.Integer,
            "array" => Shape.Array,
            "object" when schema["properties"] is JsonObject { Count: > 0 } => Shape.Class,
            "object" when schema["additionalProperties"] is JsonObject
                && !Flag(schema, "x-kubernetes-preserve-unknown-fields") => Shape.Map,
            // preserve-unknown-fields, or an object without a declared shape.
            "object" => Shape.FreeObject,
            _ => Shape.Any,
        };
    }

    /// <summary>
    /// The key under which a class or enum is shared: the same shape under the same field name is one type
    /// (Istio's trafficPolicy in spec and in each subset). Descriptions never matter.
    /// </summary>
    private static string ShapeKey(JsonObject schema, string leaf) =>
        leaf + "|" + SchemaText.WithoutDescriptions(schema);

    /// <summary>The element schema of arrays and maps, through any nesting; the schema itself otherwise.</summary>
    private static JsonObject? Element(JsonObject schema)
    {
        var current = schema;
        while (true)
        {
            switch (Classify(current))
            {
                case Shape.Array:
                    if (current["items"] is not JsonObject items)
                    {
                        return null;
                    }
                    current = items;
                    break;
                case Shape.Map:
                    current = (JsonObject)current["additionalProperties"]!;
                    break;
                default:
                    return current;
            }
        }
    }

    private List<KeyValuePair<string, JsonObject>> ResourceProperties()
    {
        var properties = _crd.Schema["properties"] as JsonObject ?? new JsonObject();
        // apiVersion, kind and metadata are fixed members; status is written by controllers, never by us.
        return properties
            .Where(p => p.Key is not ("apiVersion" or "kind" or "metadata" or "status") && p.Value is JsonObject)
            .Select(p => KeyValuePair.Create(p.Key, (JsonObject)p.Value!))
            .ToList();
    }

    /// <summary>
    /// Names every class and enum: the name of the type that holds it, then its field name
    /// (spec.http[].route[] of a VirtualService is VirtualServiceSpecHttpRoute). A type shared by several holders
    /// takes the name of their closest common holder instead: Istio's trafficPolicy in spec and in spec.subsets[]
    /// is DestinationRuleSpecTrafficPolicy, and the destination of both spec.http[].route[] and
    /// spec.http[].mirrors[] is VirtualServiceSpecHttpDestination. Holders are named before what they hold,
    /// in schema order, so the result does not depend on anything but the schema.
    /// </summary>
    private void NameTypes()
    {
        // The type graph: each class or enum shape and the distinct class shapes holding it ("" is the resource).
        var holders = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        void Visit(JsonObject schema, string holder, string leaf)
        {
            if (Element(schema) is not { } element)
            {
                return;
            }
            var shape = Classify(element);
            if (shape is not (Shape.Class or Shape.Enum))
            {
                return;
            }
            var key = ShapeKey(element, leaf);
            var firstVisit = !holders.TryGetValue(key, out var list);
            if (firstVisit)
            {
                list = [];
                holders.Add(key, list);
                leaves.Add(key, leaf);
                order.Add(key);
            }
            if (!list!.Contains(holder))
            {
                list.Add(holder);
            }
            if (firstVisit && shape == Shape.Class)
            {
                foreach (var (name, child) in (JsonObject)element["properties"]!)
                {
                    if (child is JsonObject childSchema)
                    {
                        Visit(childSchema, key, name);
                    }
                }
            }
        }
        foreach (var (name, schema) in ResourceProperties())
        {
            Visit(schema, "", name);
        }

        // Each named type's chain of holders from the resource down to itself.
        var chains = new Dictionary<string, string[]>(StringComparer.Ordinal) { [""] = [""] };
        var typeNames = new Dictionary<string, string>(StringComparer.Ordinal) { [""] = _crd.Kind };
        var pending = new List<string>(order);
        while (pending.Count > 0)
        {
            var next = pending.FirstOrDefault(k => holders[k].All(chains.ContainsKey))
                ?? throw new InvalidDataException($"{_crd.Kind} {_crd.ApiVersion}: the schema's types contain each other.");
            pending.Remove(next);
            var common = holders[next].Select(h => chains[h]).Aggregate(CommonPrefix);
            var name = UniqueIn(_usedTypeNames, typeNames[common[^1]] + Naming.Pascal(leaves[next]));
            typeNames.Add(next, name);
            chains.Add(next, [.. common, next]);
            _names.Add(next, name);
        }
    }

    private static string[] CommonPrefix(string[] a, string[] b)
    {
        var length = 0;
        while (length < a.Length && length < b.Length && a[length] == b[length])
        {
            length++;
        }
        return a[..length];
    }

    private ClassDecl BuildResource()
    {
        NameTypes();
        var resource = new ClassDecl(_crd.Kind);
        var own = ResourceProperties();
        var names = PropertyNames(own.Select(p => p.Key), new HashSet<string>(ResourceMembers, StringComparer.Ordinal), _crd.Kind);
        var required = RequiredSet(_crd.Schema);
        foreach (var (name, schema) in own)
        {
            resource.Properties.Add(Property(name, names[name], schema, name, required));
        }
        return resource;
    }

    /// <summary>
    /// C# names for the properties of one class. Names that are plain camelCase claim their Pascal form first, so
    /// Istio's "mirrorPercent" is MirrorPercent and its legacy twin "mirror_percent" becomes Mirror_Percent.
    /// </summary>
    private static Dictionary<string, string> PropertyNames(IEnumerable<string> jsonNames, HashSet<string> taken, string className)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var ordered = jsonNames.OrderBy(n => n.All(char.IsAsciiLetterOrDigit) ? 0 : 1);
        foreach (var jsonName in ordered)
        {
            var name = Naming.Pascal(jsonName);
            if (taken.Contains(name) || ObjectMembers.Contains(name) || name == className)
            {
                name = Naming.PascalKeepingSeparators(jsonName);
            }
            if (name == className || ObjectMembers.Contains(name))
            {
                name += "Value";
            }
            names[jsonName] = UniqueIn(taken, name);
        }
        return names;
    }

    private PropDecl Property(string jsonName, string name, JsonObject schema, string path, HashSet<string> required) =>
        new(jsonName, name, Resolve(schema, jsonName, path), required.Contains(jsonName), Flag(schema, "nullable"));

    /// <summary>The C# type of a schema, declaring its classes and enums on first use (depth-first, schema order).</summary>
    private string Resolve(JsonObject schema, string leaf, string path)
    {
        switch (Classify(schema))
        {
            case Shape.IntOrString:
                return "IntOrString";
            case Shape.Enum:
                return EnumFor(schema, leaf, path);
            case Shape.String:
                return "string";
            case Shape.Boolean:
                return "bool";
            case Shape.Number:
                return "double";
            case Shape.Integer:
                return IntegerType(schema);
            case Shape.Array:
                var item = schema["items"] is JsonObject items
                    ? Resolve(items, leaf, path + "[]")
                    : "JsonNode?";
                return $"List<{item}>";
            case Shape.Map:
                var value = Resolve((JsonObject)schema["additionalProperties"]!, leaf, path + "{}");
                return $"Dictionary<string, {value}>";
            case Shape.Class:
                return ClassFor(schema, leaf, path);
            case Shape.FreeObject:
                return "JsonObject";
            default:
                // No type: any JSON value.
                return "JsonNode";
        }
    }

    private string ClassFor(JsonObject schema, string leaf, string path)
    {
        var name = _names[ShapeKey(schema, leaf)];
        if (_declared.TryGetValue(name, out var existing))
        {
            existing.Paths.Add(path);
            return name;
        }
        var decl = new ClassDecl(name);
        decl.Paths.Add(path);
        _types.Add(decl);
        _declared.Add(name, decl);
        var own = ((JsonObject)schema["properties"]!)
            .Where(p => p.Value is JsonObject)
            .Select(p => KeyValuePair.Create(p.Key, (JsonObject)p.Value!))
            .ToList();
        var propertyNames = new HashSet<string>(StringComparer.Ordinal);
        var names = PropertyNames(own.Select(p => p.Key), propertyNames, name);
        var required = RequiredSet(schema);
        foreach (var (propertyName, propertySchema) in own)
        {
            decl.Properties.Add(Property(propertyName, names[propertyName], propertySchema, path + "." + propertyName, required));
        }
        if (Flag(schema, "x-kubernetes-preserve-unknown-fields"))
        {
            decl.UnknownFieldsProperty = UniqueIn(propertyNames, "AdditionalProperties");
        }
        return name;
    }

    private string EnumFor(JsonObject schema, string leaf, string path)
    {
        var name = _names[ShapeKey(schema, leaf)];
        if (_declared.TryGetValue(name, out var existing))
        {
            existing.Paths.Add(path);
            return name;
        }
        var integer = (schema["type"] as JsonValue)?.GetValue<string>() == "integer";
        var decl = new EnumDecl(name, integer);
        decl.Paths.Add(path);
        _types.Add(decl);
        _declared.Add(name, decl);
        var values = ((JsonArray)schema["enum"]!).OfType<JsonValue>().ToList();
        var members = values
            .Select(v => integer ? "Value" + v.ToJsonString() : Naming.EnumMember(v.GetValue<string>()))
            .ToList();
        // Values that differ only in case (Prometheus allows both "replace" and "Replace") keep their exact
        // spelling as the member name, so neither becomes a meaningless Replace2.
        var clashing = members.GroupBy(m => m).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var memberNames = new HashSet<string>(StringComparer.Ordinal) { name };
        for (var i = 0; i < values.Count; i++)
        {
            var member = members[i];
            if (!integer && clashing.Contains(member) && Naming.IsIdentifier(values[i].GetValue<string>()))
            {
                member = values[i].GetValue<string>();
            }
            decl.Members.Add((UniqueIn(memberNames, member), values[i]));
        }
        return name;
    }

    private static string IntegerType(JsonObject schema)
    {
        var format = (schema["format"] as JsonValue)?.GetValue<string>();
        if (format == "int32")
        {
            return "int";
        }
        if (format == "int64")
        {
            return "long";
        }
        // Without a format, int only when the declared bounds fit (Istio's uint32 ports do not).
        var min = Number(schema["minimum"]);
        var max = Number(schema["maximum"]);
        return min is >= int.MinValue && max is <= int.MaxValue ? "int" : "long";
    }

    private static decimal? Number(JsonNode? node) =>
        node is JsonValue value && decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : null;

    private static bool Flag(JsonObject schema, string key) =>
        schema[key] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    private static HashSet<string> RequiredSet(JsonObject schema) =>
        schema["required"] is JsonArray names
            ? names.OfType<JsonValue>().Select(n => n.GetValue<string>()).ToHashSet(StringComparer.Ordinal)
            : [];

    private static string UniqueIn(HashSet<string> used, string name)
    {
        var candidate = name;
        for (var i = 2; !used.Add(candidate); i++)
        {
            candidate = name + i.ToString(CultureInfo.InvariantCulture);
        }
        return candidate;
    }

    // ---- output ----

    private void EmitResource(StringBuilder sb, ClassDecl resource)
    {
        sb.Append('\n');
        sb.Append($"/// <summary>The <c>{Xml(_crd.Kind)}</c> custom resource, API version <c>{Xml(_crd.ApiVersion)}</c>.</summary>\n");
        sb.Append($"public sealed partial class {resource.Name} : global::k8s.IKubernetesObject<global::k8s.Models.V1ObjectMeta>\n{{\n");
        sb.Append($"    public const string KubeGroup = {Naming.Literal(_crd.Group)};\n");
        sb.Append("    /// <summary>The version alone, as in KubernetesClient's models; the apiVersion field is <see cref=\"KubeGroupVersion\"/>.</summary>\n");
        sb.Append($"    public const string KubeApiVersion = {Naming.Literal(_crd.Version)};\n");
        sb.Append($"    public const string KubeGroupVersion = {Naming.Literal(_crd.ApiVersion)};\n");
        sb.Append($"    public const string KubeKind = {Naming.Literal(_crd.Kind)};\n");
        sb.Append($"    public const string KubePluralName = {Naming.Literal(_crd.Plural)};\n\n");
        sb.Append("    [JsonPropertyName(\"apiVersion\")]\n");
        sb.Append("    public string ApiVersion { get; set; } = KubeGroupVersion;\n\n");
        sb.Append("    [JsonPropertyName(\"kind\")]\n");
        sb.Append("    public string Kind { get; set; } = KubeKind;\n\n");
        sb.Append("    [JsonPropertyName(\"metadata\")]\n");
        sb.Append("    public global::k8s.Models.V1ObjectMeta Metadata { get; set; } = new();\n");
        EmitProperties(sb, resource);
        sb.Append("}\n");
    }

    private static void EmitClass(StringBuilder sb, ClassDecl decl)
    {
        sb.Append($"/// <summary>Type of {string.Join(", ", decl.Paths.Select(p => $"<c>{Xml(p)}</c>"))}.</summary>\n");
        sb.Append($"public sealed partial class {decl.Name}\n{{");
        var first = true;
        foreach (var property in decl.Properties)
        {
            sb.Append(first ? "\n" : "\n\n");
            first = false;
            EmitProperty(sb, property);
        }
        if (decl.UnknownFieldsProperty is { } extension)
        {
            sb.Append(first ? "\n" : "\n\n");
            sb.Append("    /// <summary>Fields the schema does not declare; it keeps unknown fields.</summary>\n");
            sb.Append("    [JsonExtensionData]\n");
            sb.Append($"    public JsonObject? {extension} {{ get; set; }}");
        }
        sb.Append("\n}\n");
    }

    private static void EmitProperties(StringBuilder sb, ClassDecl decl)
    {
        foreach (var property in decl.Properties)
        {
            sb.Append('\n');
            EmitProperty(sb, property);
            sb.Append('\n');
        }
    }

    private static void EmitProperty(StringBuilder sb, PropDecl property)
    {
        var nullable = !property.Required || property.Nullable;
        var type = nullable ? property.Type + "?" : property.Type;
        sb.Append($"    [JsonPropertyName({Naming.Literal(property.JsonName)})]\n");
        sb.Append($"    public {(property.Required ? "required " : "")}{type} {property.Name} {{ get; set; }}");
    }

    private static void EmitEnum(StringBuilder sb, EnumDecl decl)
    {
        sb.Append($"/// <summary>Values of {string.Join(", ", decl.Paths.Select(p => $"<c>{Xml(p)}</c>"))}.</summary>\n");
        var converter = decl.Integer ? "IntegerEnumConverter" : "ExactStringEnumConverter";
        sb.Append($"[JsonConverter(typeof({converter}<{decl.Name}>))]\n");
        sb.Append($"public enum {decl.Name}\n{{\n");
        foreach (var (member, value) in decl.Members)
        {
            if (decl.Integer)
            {
                sb.Append($"    {member} = {value.ToJsonString()},\n");
            }
            else
            {
                sb.Append($"    [JsonStringEnumMemberName({Naming.Literal(value.GetValue<string>())})]\n");
                sb.Append($"    {member},\n");
            }
        }
        sb.Append("}\n");
    }

    private static string Xml(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
}
