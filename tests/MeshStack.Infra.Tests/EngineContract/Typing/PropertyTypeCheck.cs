using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshStack.Graph;
using static MeshStack.Tests.EngineContract.Typing.ProgramValue;

namespace MeshStack.Tests.EngineContract.Typing;

/// <summary>
/// Checks every property of every resource of an emitted program against the <c>*Args</c> interface of the pinned
/// SDK, as the Pulumi YAML analyser does before running anything (pulumi-yaml v1.38.1
/// <c>pkg/pulumiyaml/analyser.go</c>): unknown properties and missing required ones (structural object typing,
/// lines 366-458), values of the wrong type (lines 290-365). It is stricter in one place on purpose: the analyser
/// lets a number or boolean into a string input (lines 300-307) but the runtime passes it on unconverted, so a
/// label value <c>3</c> reaches Kubernetes as a number; that is reported too.
/// Each problem reads <c>&lt;resource&gt;: &lt;property path&gt;: &lt;what is wrong&gt;</c>.
/// </summary>
public sealed partial class PropertyTypeCheck
{
    private readonly Func<string, SdkPackage?> _sdkFor;

    public PropertyTypeCheck(Func<string, SdkPackage?> sdkFor) => _sdkFor = sdkFor;

    /// <summary>Against the SDKs at the pinned plugin versions.</summary>
    public static PropertyTypeCheck Pinned { get; } = new(PinnedSdks.For);

    public IReadOnlyList<string> Problems(JsonObject program)
    {
        var problems = new List<string>();
        if (program["resources"] is not JsonObject resources) return problems;
        foreach (var (name, node) in resources)
        {
            if (node is not JsonObject resource || resource["type"] is not JsonValue typeNode) continue;
            // a get without properties reads an existing object: nothing to type, not even required inputs (analyser.go:628, 641-652)
            if (resource.ContainsKey("get") && resource["properties"] is null) continue;
            var token = typeNode.GetValue<string>();
            var package = TypeTokens.Package(token);
            var sdk = _sdkFor(package);
            if (sdk is null)
            {
                problems.Add($"{name}: type: no pinned SDK for package '{package}' ({token})");
                continue;
            }
            if (sdk.ArgsLocation(token) is not var (file, iface))
            {
                problems.Add($"{name}: type: {sdk.Name} {sdk.Version} has no resource {token}");
                continue;
            }
            if (sdk.Args(token) is not { } args)
            {
                problems.Add($"{name}: type: {sdk.Name} {sdk.Version} declares no {iface} in {file} ({token})");
                continue;
            }
            // no properties at all still has to supply the required ones (analyser.go:641-643)
            var properties = resource["properties"] ?? new JsonObject();
            new Walk(sdk, name, problems).Check(properties, new SdkType.Shape(args), "");
        }
        return problems;
    }

    /// <summary>One resource's properties against its SDK, problems appended to a sink.</summary>
    private sealed partial class Walk(SdkPackage sdk, string resource, List<string> sink)
    {
        public void Check(JsonNode? node, SdkType type, string path)
        {
            var value = Of(node);
            if (value.Type == Kind.Unknown) return;
            if (Mismatch(value, type, path) is { } wrong) Report(path, wrong);
        }

        private void Report(string path, string what) => sink.Add($"{resource}: {(path.Length == 0 ? "properties" : path)}: {what}");

        /// <summary>Why the value cannot be the type, or null (nested problems go to the sink).</summary>
        private string? Mismatch(ProgramValue value, SdkType type, string path)
        {
            switch (type)
            {
                case SdkType.Scalar s when ReferenceEquals(s, SdkType.Any):
                    return null;
                case SdkType.Scalar s when ReferenceEquals(s, SdkType.String):
                case SdkType.Enum:
                    return value.Type switch
                    {
                        Kind.Text or Kind.ComputedText => null,
                        Kind.Number or Kind.Boolean => $"expected {type}, got {value.Description}: Pulumi YAML passes it on unconverted, not as a string",
                        _ => Expected(type, value),
                    };
                case SdkType.Literal literal:
                    return value.Type == Kind.ComputedText || (value.Type == Kind.Text && value.Node!.GetValue<string>() == literal.Value)
                        ? null
                        : Expected(type, value);
                case SdkType.Scalar s when ReferenceEquals(s, SdkType.Number):
                    return value.Type == Kind.Number ? null : Expected(type, value);
                case SdkType.Scalar s when ReferenceEquals(s, SdkType.Boolean):
                    return value.Type == Kind.Boolean ? null : Expected(type, value);
                case SdkType.Scalar s when ReferenceEquals(s, SdkType.Asset):
                    // an Asset input takes an archive too (analyser.go:308-312)
                    return value.Type is Kind.Asset or Kind.Archive ? null : Expected(type, value);
                case SdkType.Scalar s when ReferenceEquals(s, SdkType.Archive):
                    return value.Type == Kind.Archive ? null : Expected(type, value);
                case SdkType.ListOf list:
                    if (value.Type == Kind.TextList)
                        return Mismatch(new ProgramValue(Kind.ComputedText, null, "a string"), list.Element, path) is null ? null : Expected(type, value);
                    if (value.Type != Kind.List) return Expected(type, value);
                    var items = (JsonArray)value.Node!;
                    for (var i = 0; i < items.Count; i++) Check(items[i], list.Element, $"{path}[{i}]");
                    return null;
                case SdkType.MapOf map:
                    if (value.Type != Kind.Object) return Expected(type, value);
                    foreach (var (key, item) in (JsonObject)value.Node!) Check(item, map.Value, Join(path, key));
                    return null;
                case SdkType.InputRef reference:
                    return sdk.Input(reference.Name) is { } input
                        ? Structural(value, input, path)
                        : $"{sdk.Name} {sdk.Version} declares {reference.Name}, which its types/input.d.ts does not define";
                case SdkType.Shape shape:
                    return Structural(value, shape.Interface, path);
                case SdkType.OneOf union:
                    return OneOf(value, union, path);
                default:
                    return $"{sdk.Name} {sdk.Version} declares the type '{type}', which this check does not model";
            }
        }

        /// <summary>Objects are typed structurally: every key a property, every required property present (analyser.go:366-458).</summary>
        private string? Structural(ProgramValue value, SdkInterface shape, string path)
        {
            var label = shape.Name == "{...}" ? "the object type" : shape.Name;
            if (value.Type != Kind.Object) return $"expected an object ({label}), got {value.Description}";
            var obj = (JsonObject)value.Node!;
            foreach (var (key, item) in obj)
            {
                if (shape.Property(key) is { } property) Check(item, property.Type, Join(path, key));
                else Report(Join(path, key), $"no such property in {label}");
            }
            foreach (var property in shape.Properties)
                if (property.Required && !obj.ContainsKey(property.Name))
                    Report(Join(path, property.Name), $"required by {label}, missing");
            return null;
        }

        /// <summary>
        /// Any member will do (analyser.go:319-328). When none fits and one has the value's shape (an object for an
        /// object type), its nested problems are the ones to report; otherwise the whole union is named.
        /// </summary>
        private string? OneOf(ProgramValue value, SdkType.OneOf union, string path)
        {
            (SdkType Member, List<string> Problems)? shaped = null;
            foreach (var member in union.Members)
            {
                var scratch = new List<string>();
                var mismatch = new Walk(sdk, resource, scratch).Mismatch(value, member, path);
                if (mismatch is null && scratch.Count == 0) return null;
                if (mismatch is null) shaped ??= (member, scratch);
            }
            if (shaped is not { } fit) return Expected(union, value);
            sink.AddRange(fit.Problems);
            return null;
        }

        private static string Expected(SdkType type, ProgramValue value) => $"expected {type}, got {value.Description}";

        private static string Join(string path, string key)
        {
            var step = SimpleKey().IsMatch(key) ? key : $"[\"{key}\"]";
            return path.Length == 0 ? step : step[0] == '[' ? path + step : $"{path}.{step}";
        }

        [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]*$")]
        private static partial Regex SimpleKey();
    }
}
