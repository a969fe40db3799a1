using System.Text.Json.Nodes;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.EngineContract;

/// <summary>
/// One rule of the Pulumi YAML runtime or engine that our program relies on, with the upstream source it encodes.
/// Line numbers are at pulumi-yaml v1.38.1 (36f271c), pulumi v3.259.0 (1b59498) and pulumi-kubernetes 9497796.
/// </summary>
public sealed record EngineRule(string Id, string Upstream, Func<ProgramDocument, IEnumerable<string>> Check)
{
    public override string ToString() => Id;
}

/// <summary>The rules; each returns one problem line per violation, naming the resource and path.</summary>
public static class EngineRules
{
    public static readonly EngineRule ProgramName = new("program-name",
        "pulumi-yaml pkg/pulumiyaml/run.go 91-97 (no name: falls back to LoadDir of main, 141-150, which finds nothing)",
        p => p.Root["name"]?.GetValue<string>() == Compiler.ProjectName
            ? []
            : [$"name: is '{p.Root["name"]}', must be the project's name '{Compiler.ProjectName}'"]);

    public static readonly EngineRule ExplicitProviders = new("explicit-providers",
        "pulumi pkg/resource/deploy/default_providers.go 277-300 (disable-default-providers [\"*\"] bars every package)",
        CheckExplicitProviders);

    public static readonly EngineRule KnownKeys = new("known-keys",
        "pulumi-yaml pkg/pulumiyaml/ast/template.go 993 (unknown top-level keys dropped silently), 1067-1110 (unknown resource/option keys only warn), 368-391 and 494-512 (the fields)",
        CheckKnownKeys);

    public static readonly EngineRule GetIds = new("get-ids",
        "pulumi pkg/resource/deploy/step.go 1314-1369 (a read of a missing object fails) and sdk/go/pulumi/context.go 1460-1463 (an unknown id is not read)",
        CheckGetIds);

    public static readonly EngineRule Interpolations = new("interpolations",
        "pulumi-yaml pkg/pulumiyaml/ast/interpolation.go 16-45 (`$$` is a dollar, every `${` is a reference)",
        CheckInterpolations);

    public static readonly EngineRule ConfigReferences = new("config-references",
        "pulumi-yaml pkg/server/server.go 246-268 (config strings re-typed: \"1.20\" becomes 1.2) and pkg/pulumiyaml/sort.go 137-150, 299-321 (a config key named like a resource hides it)",
        CheckConfigReferences);

    public static readonly EngineRule NoNulls = new("no-nulls",
        "pulumi sdk/go/pulumi/rpc.go 481-483 (null map entries are dropped before the provider sees them)",
        CheckNoNulls);

    public static readonly EngineRule NamespacedObjects = new("namespaced-objects",
        "pulumi-kubernetes provider/pkg/provider/yaml/v2/yaml.go 181-199 (an object without a namespace needs the kind's scope, which a first preview cannot learn for CRDs not yet installed)",
        CheckNamespacedObjects);

    public static readonly EngineRule DependsOnClosure = new("depends-on-closure",
        "pulumi pkg/resource/deploy/step_executor.go 56-68 (steps with no dependency path between them run concurrently)",
        CheckDependsOnClosure);

    public static IReadOnlyList<EngineRule> All { get; } =
        [ProgramName, ExplicitProviders, KnownKeys, GetIds, Interpolations, ConfigReferences, NoNulls, NamespacedObjects, DependsOnClosure];

    private static string? RefTarget(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && s.StartsWith("${", StringComparison.Ordinal) && s.EndsWith('}')
            ? ProgramDocument.References(s).Single() : null;

    private static string PackageOf(string type) =>
        type.StartsWith("pulumi:providers:", StringComparison.Ordinal) ? type["pulumi:providers:".Length..] : type[..type.IndexOf(':')];

    private static IEnumerable<string> CheckExplicitProviders(ProgramDocument p)
    {
        var versions = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (name, node) in p.Resources)
        {
            var type = node!["type"]!.GetValue<string>();
            var package = PackageOf(type);
            var options = node["options"] as JsonObject;
            if (!versions.TryGetValue(package, out var set)) versions[package] = set = [];
            set.Add(options?["version"]?.GetValue<string>() ?? "(none)");
            if (type.StartsWith("pulumi:providers:", StringComparison.Ordinal)) continue;
            var provider = RefTarget(options?["provider"]);
            if (provider is null)
            {
                yield return $"{name}: no options.provider; with default providers disabled the engine refuses a {package} resource without one";
                continue;
            }
            if (p.TypeOf(provider) != $"pulumi:providers:{package}")
                yield return $"{name}: options.provider names '{provider}', which is not a pulumi:providers:{package} resource";
        }
        // one pin per package: the engine loads the plugin version it meets first
        foreach (var (package, set) in versions.Where(v => v.Value.Count > 1))
            yield return $"package {package}: resources pin different plugin versions ({string.Join(", ", set.Order())})";
    }

    private static readonly HashSet<string> TopLevelKeys =
        ["name", "namespace", "description", "version", "pulumi", "configuration", "config", "variables", "resources", "outputs", "components"];
    private static readonly HashSet<string> ResourceKeys = ["type", "name", "defaultProvider", "properties", "options", "get"];
    private static readonly HashSet<string> OptionKeys =
    [
        "additionalSecretOutputs", "aliases", "customTimeouts", "deleteBeforeReplace", "dependsOn", "ignoreChanges", "import",
        "parent", "protect", "provider", "providers", "version", "pluginDownloadURL", "replaceOnChanges", "retainOnDelete",
        "replaceWith", "deletedWith", "hideDiffs", "replacementTrigger", "envVarMappings",
    ];

    private static IEnumerable<string> CheckKnownKeys(ProgramDocument p)
    {
        foreach (var (key, _) in p.Root.Where(k => !TopLevelKeys.Contains(k.Key)))
            yield return $"{key}: not a top-level key of a Pulumi YAML program; the runtime drops it without a word";
        foreach (var (name, node) in p.Resources)
        {
            foreach (var (key, _) in node!.AsObject().Where(k => !ResourceKeys.Contains(k.Key)))
                yield return $"{name}.{key}: not a resource key; the runtime ignores it with only a warning";
            foreach (var (key, _) in (node["options"] as JsonObject ?? []).Where(k => !OptionKeys.Contains(k.Key)))
                yield return $"{name}.options.{key}: not a resource option; the runtime ignores it with only a warning";
        }
    }

    private static IEnumerable<string> CheckGetIds(ProgramDocument p)
    {
        foreach (var (name, node) in p.Resources)
        {
            if (node!["get"] is not JsonObject get) continue;
            var id = get["id"]?.GetValue<string>() ?? "";
            var references = ProgramDocument.References(id).ToHashSet(StringComparer.Ordinal);
            var dependsOn = (p.OptionsOf(name)?["dependsOn"] as JsonArray ?? []).Select(RefTarget).OfType<string>().ToList();
            // it waits for something the program creates, so it reads an object that does not exist at the first preview:
            // only an id unknown until then (built from that resource's outputs) makes the engine skip the read
            if (dependsOn.Count > 0 && !dependsOn.Any(references.Contains))
                yield return $"{name}: get.id '{id}' is known before {string.Join(", ", dependsOn)} exists, so the first preview reads a missing object and fails";
        }
    }

    private static IEnumerable<string> CheckInterpolations(ProgramDocument p)
    {
        var declared = p.DeclaredNames();
        foreach (var (path, value) in ProgramDocument.Strings(p.Root, ""))
        {
            foreach (var target in ProgramDocument.References(value).Where(t => !declared.Contains(t)))
                yield return $"{path[1..]}: '{value}' refers to '{target}', which the program does not declare (a literal $ is written $$)";
        }
    }

    private static IEnumerable<string> CheckConfigReferences(ProgramDocument p)
    {
        var config = p.Root["config"] as JsonObject ?? [];
        foreach (var (key, decl) in config)
        {
            // a config value read through the runtime is re-typed unless it is a secret string we never inline
            if (decl?["type"]?.GetValue<string>() != "string" || decl["secret"]?.GetValue<bool>() != true)
                yield return $"config.{key}: read through the runtime, which re-types strings; only secret strings are read by reference, the rest is inlined";
            if (p.Resources.ContainsKey(key) || (p.Root["variables"] as JsonObject)?.ContainsKey(key) == true)
                yield return $"config.{key}: a resource or variable has the same name; the runtime silently drops it";
        }
        foreach (var key in Compiler.DeclaredConfigKeys.Where(k => p.Resources.ContainsKey(k)))
            yield return $"{key}: a resource named like the stack config key mesh-stack:{key}, which the runtime silently drops";
    }

    private static IEnumerable<string> CheckNoNulls(ProgramDocument p)
    {
        foreach (var (name, node) in p.Resources)
            foreach (var path in NullPaths(node!["properties"], $"{name}.properties"))
                yield return $"{path}: null never reaches the provider (a Helm value meant to delete a chart default stays)";
    }

    private static IEnumerable<string> NullPaths(JsonNode? node, string path) => node switch
    {
        JsonObject o => o.SelectMany(kv => kv.Value is null ? [$"{path}.{kv.Key}"] : NullPaths(kv.Value, $"{path}.{kv.Key}")),
        JsonArray a => a.SelectMany((v, i) => v is null ? [$"{path}[{i}]"] : NullPaths(v, $"{path}[{i}]")),
        _ => [],
    };

    private static IEnumerable<string> CheckNamespacedObjects(ProgramDocument p)
    {
        foreach (var (name, node) in p.Resources.Where(r => r.Value!["type"]!.GetValue<string>() == "kubernetes:yaml/v2:ConfigGroup"))
        {
            var objs = node!["properties"]?["objs"] as JsonArray ?? [];
            for (var i = 0; i < objs.Count; i++)
            {
                var obj = objs[i]!;
                var kind = obj["kind"]?.GetValue<string>() ?? "";
                var group = Group(obj);
                if (UpstreamCrds.IsClusterScoped(group, kind)) continue;
                if (string.IsNullOrEmpty(obj["metadata"]?["namespace"]?.GetValue<string>()))
                    yield return $"{name}.properties.objs[{i}] ({kind} {obj["metadata"]?["name"]}): no metadata.namespace; its scope cannot be learned before its CRD is installed";
            }
        }
    }

    private static string Group(JsonNode obj)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? "";
        var slash = apiVersion.IndexOf('/');
        return slash < 0 ? "" : apiVersion[..slash];
    }

    /// <summary>
    /// Everything a resource waits for: dependsOn, its provider and parent, and every resource its inputs or get id
    /// reference, transitively.
    /// </summary>
    public static IReadOnlySet<string> Prerequisites(ProgramDocument p, string resource)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(resource);
        while (pending.Count > 0)
        {
            var node = p.Resources[pending.Pop()];
            if (node is null) continue;
            foreach (var (_, value) in ProgramDocument.Strings(node, ""))
                foreach (var target in ProgramDocument.References(value))
                    if (p.Resources.ContainsKey(target) && seen.Add(target)) pending.Push(target);
        }
        return seen;
    }

    /// <summary>
    /// A namespaced object must wait for its namespace when the program creates it, and a custom resource for what
    /// installs its CRD (a chart or a CustomResourceDefinition of the program); otherwise the engine may create it
    /// first and the API server refuses it (namespace not found, no matches for kind).
    /// </summary>
    private static IEnumerable<string> CheckDependsOnClosure(ProgramDocument p)
    {
        var namespaces = new Dictionary<(string Provider, string Namespace), string>();
        var crdInstallers = new List<(string Provider, string Resource, Func<string, string, bool> Installs)>();
        foreach (var (name, node) in p.Resources)
        {
            var type = node!["type"]!.GetValue<string>();
            var provider = RefTarget(node["options"]?["provider"]) ?? "";
            if (type == "kubernetes:core/v1:Namespace" && node["properties"]?["metadata"]?["name"]?.GetValue<string>() is { } ns)
                namespaces[(provider, ns)] = name;
            if (type == "kubernetes:helm.sh/v3:Release" && node["properties"]?["chart"]?.GetValue<string>() is { } chart
                && ChartCrds.TryGetValue(chart, out var installs))
                crdInstallers.Add((provider, name, installs));
            // or the program declares the CustomResourceDefinition itself (typed, or among a ConfigGroup's objects)
            var declared = type == "kubernetes:yaml/v2:ConfigGroup"
                ? (node["properties"]?["objs"] as JsonArray ?? []).OfType<JsonNode>()
                : type == "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition" ? [node["properties"] ?? new JsonObject()] : [];
            foreach (var crd in declared.Where(o => type != "kubernetes:yaml/v2:ConfigGroup" || o["kind"]?.GetValue<string>() == "CustomResourceDefinition"))
            {
                var crdGroup = crd["spec"]?["group"]?.GetValue<string>();
                var crdKind = crd["spec"]?["names"]?["kind"]?.GetValue<string>();
                if (crdGroup is not null && crdKind is not null)
                    crdInstallers.Add((provider, name, (g, k) => g == crdGroup && k == crdKind));
            }
        }

        foreach (var (name, node) in p.Resources)
        {
            var type = node!["type"]!.GetValue<string>();
            if (!type.StartsWith("kubernetes:", StringComparison.Ordinal) || node["get"] is not null) continue;
            var provider = RefTarget(node["options"]?["provider"]) ?? "";
            var waitsFor = Prerequisites(p, name);
            var objects = type == "kubernetes:yaml/v2:ConfigGroup"
                ? (node["properties"]?["objs"] as JsonArray ?? []).OfType<JsonNode>().ToList()
                : [node["properties"] ?? new JsonObject()];
            foreach (var obj in objects)
            {
                var ns = type == "kubernetes:helm.sh/v3:Release"
                    ? obj["namespace"]?.GetValue<string>()
                    : obj["metadata"]?["namespace"]?.GetValue<string>();
                if (ns is not null && namespaces.TryGetValue((provider, ns), out var nsResource) && nsResource != name && !waitsFor.Contains(nsResource))
                    yield return $"{name}: in namespace '{ns}' but does not wait for '{nsResource}', which creates it";
                if (type != "kubernetes:yaml/v2:ConfigGroup") continue;
                var group = Group(obj);
                var kind = obj["kind"]?.GetValue<string>() ?? "";
                if (!UpstreamCrds.IsCustom(group, kind)) continue;
                var installers = crdInstallers.Where(c => c.Provider == provider && c.Installs(group, kind)).Select(c => c.Resource).ToList();
                if (!installers.Any(waitsFor.Contains))
                    yield return $"{name}: a {group} {kind} that does not wait for what installs its CRD ({(installers.Count == 0 ? "nothing in the program does" : string.Join(", ", installers))})";
            }
        }
    }

    /// <summary>Which charts install which CRDs (the chart sources at the pinned versions; see README's chart table).</summary>
    private static readonly Dictionary<string, Func<string, string, bool>> ChartCrds = new(StringComparer.Ordinal)
    {
        // istio manifests/charts/base/templates/crds.yaml
        ["base"] = (g, _) => g.EndsWith("istio.io", StringComparison.Ordinal),
        // linkerd2 charts/linkerd-crds/templates: policy, workload, serviceprofile and (installGatewayAPI) Gateway API
        ["linkerd-crds"] = (g, _) => g is "policy.linkerd.io" or "linkerd.io" or "workload.linkerd.io" or "gateway.networking.k8s.io",
        // linkerd2 multicluster/charts/linkerd-multicluster/templates/link-crd.yaml
        ["linkerd-multicluster"] = (g, _) => g == "multicluster.linkerd.io",
        // the prometheus-operator CRDs come with kube-prometheus-stack (charts/crds)
        ["kube-prometheus-stack"] = (g, _) => g == "monitoring.coreos.com",
        ["flagger"] = (g, _) => g == "flagger.app",
    };
}
