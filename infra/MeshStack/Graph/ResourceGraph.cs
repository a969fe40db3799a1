using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace MeshStack.Graph;

/// <summary>
/// The resource graph of one stack: resources in creation order, secret config keys the program
/// declares, and stack outputs. Synthesis only ever adds; emission reads.
/// </summary>
public sealed partial class ResourceGraph
{
    private readonly List<Resource> _resources = [];
    private readonly Dictionary<string, Resource> _byName = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, ConfigRef> _secretConfig = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, JsonNode?>> _outputs = [];
    private readonly List<KeyValuePair<string, JsonNode>> _variables = [];

    public IReadOnlyList<Resource> Resources => _resources;
    public IReadOnlyCollection<ConfigRef> SecretConfig => _secretConfig.Values;
    public IReadOnlyList<KeyValuePair<string, JsonNode?>> Outputs => _outputs;
    public IReadOnlyList<KeyValuePair<string, JsonNode>> Variables => _variables;

    public Resource this[string name] =>
        _byName.TryGetValue(name, out var r) ? r : throw new KeyNotFoundException($"no resource named '{name}' in the graph");

    public bool Contains(string name) => _byName.ContainsKey(name);

    public IEnumerable<Resource> OfType(string type) => _resources.Where(r => r.Type == type);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex NamePattern();

    /// <summary>Adds a resource. The package's plugin version is pinned here so no caller can forget it.</summary>
    public Resource Add(string name, string type, object inputs, ResourceOptions? options = null, string? cluster = null)
    {
        if (!NamePattern().IsMatch(name))
            throw new ArgumentException($"resource name '{name}' must be lower-case letters, digits and '-'", nameof(name));
        if (_byName.ContainsKey(name))
            throw new InvalidOperationException($"resource '{name}' is declared twice");
        options ??= new ResourceOptions();
        var package = TypeTokens.Package(type);
        options = options with { Version = PluginVersions.For(package) };
        if (!TypeTokens.IsProvider(type))
        {
            // the stacks disable default providers for every package, so each resource names its package's provider
            // (pulumi pkg/resource/deploy/default_providers.go 277-300): one per cluster for Kubernetes, passed in;
            // one per program for the cluster-independent packages (tls, random), made here on first use
            if (package == "kubernetes" && options.Provider is null)
                throw new InvalidOperationException($"Kubernetes resource '{name}' has no explicit provider");
            options = options with { Provider = options.Provider ?? PackageProvider(package) };
            if (options.Provider.Type != TypeTokens.Provider(package))
                throw new InvalidOperationException($"'{name}' names '{options.Provider.Name}' as provider, which is not a {package} provider");
        }
        foreach (var dep in options.DependsOn.Append(options.Provider))
        {
            if (dep is not null && !ReferenceEquals(_byName.GetValueOrDefault(dep.Name), dep))
                throw new InvalidOperationException($"'{name}' depends on '{dep.Name}', which is not declared in this graph");
        }
        var resource = new Resource(name, type, inputs, options, cluster);
        _resources.Add(resource);
        _byName.Add(name, resource);
        return resource;
    }

    /// <summary>The one explicit provider of a package whose resources do not depend on a cluster (tls, random).</summary>
    private Resource PackageProvider(string package)
    {
        var name = $"{package}-provider";
        return _byName.TryGetValue(name, out var existing) ? existing : Add(name, TypeTokens.Provider(package), new RawInputs([]));
    }

    /// <summary>Adds a typed Kubernetes object; the type token comes from the model's own group/version/kind.</summary>
    public Resource AddKubernetes<T>(string name, T model, ResourceOptions options, string cluster) where T : class
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{typeof(T).Name} is not a Kubernetes entity type", nameof(model));
        return Add(name, TypeTokens.Kubernetes(entity.Group, entity.ApiVersion, entity.Kind), model, options, cluster);
    }

    /// <summary>
    /// Reads an existing Kubernetes object (Pulumi YAML <c>get</c>) through a cluster's provider; <paramref name="id"/> is
    /// <c>namespace/name</c>. An object the program itself creates must have an id built from its creator's outputs: a
    /// literal id is read during the first preview, before anything exists.
    /// </summary>
    public Resource ReadKubernetes<T>(string name, string id, ResourceOptions options, string cluster) where T : class
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{typeof(T).Name} is not a Kubernetes entity type");
        if (options.DependsOn.Count > 0 && !Expr.Targets(id).Any())
            throw new ArgumentException($"'{name}' reads '{id}', which the program creates: build the id from its creator's outputs, or the first preview fails reading it");
        return Add(name, TypeTokens.Kubernetes(entity.Group, entity.ApiVersion, entity.Kind), new ReadInputs(id), options, cluster);
    }

    /// <summary>Declares a stack config key that the program reads as <c>${key}</c> (secrets are never inlined).</summary>
    public ConfigRef DeclareSecretConfig(string key)
    {
        if (!_secretConfig.TryGetValue(key, out var r)) _secretConfig[key] = r = new ConfigRef(key);
        return r;
    }

    /// <summary>
    /// A program variable: a builtin applied to outputs (e.g. <c>fn::fromBase64</c>), which cannot sit inside
    /// an interpolated string itself. Shares the resources' namespace.
    /// </summary>
    public VariableRef AddVariable(string name, JsonNode value)
    {
        if (!NamePattern().IsMatch(name)) throw new ArgumentException($"variable name '{name}' must be lower-case letters, digits and '-'", nameof(name));
        if (_byName.ContainsKey(name) || _variables.Any(v => v.Key == name)) throw new InvalidOperationException($"'{name}' is declared twice");
        _variables.Add(new(name, value));
        return new VariableRef(name);
    }

    /// <summary>The builtin that decodes a base64 output (a Secret's <c>data</c> value) into text.</summary>
    public VariableRef FromBase64(string name, Expr encoded) => AddVariable(name, new JsonObject { ["fn::fromBase64"] = encoded.ToString() });

    public void AddOutput(string name, JsonNode? value)
    {
        if (_outputs.Any(o => o.Key == name)) throw new InvalidOperationException($"output '{name}' is declared twice");
        _outputs.Add(new(name, value));
    }

    /// <summary>
    /// Every reference in the graph must name a declared resource or config key, and no config key may
    /// share a resource's name (the YAML runtime would silently drop the resource).
    /// </summary>
    /// <summary>Whether <c>${target}</c> names something the program declares: a resource, a variable or a config key.</summary>
    public bool Declares(string target) => NamesResourceOrVariable(target) || _secretConfig.ContainsKey(target);

    /// <summary>Whether a resource or a variable has this name (a stack config key must not).</summary>
    public bool NamesResourceOrVariable(string name) => _byName.ContainsKey(name) || _variables.Any(v => v.Key == name);

    public IReadOnlyList<string> Check(IEnumerable<string> stackConfigKeys, Func<Resource, JsonObject> inputsOf)
    {
        var problems = new List<string>();
        var variables = _variables.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var key in stackConfigKeys.Where(k => _byName.ContainsKey(k) || variables.Contains(k)))
            problems.Add($"resource or variable '{key}' has the same name as stack config key '{key}'; rename it");
        foreach (var (name, value) in _variables)
        {
            foreach (var target in StringsIn(value).SelectMany(Expr.Targets).Distinct())
                if (!_byName.ContainsKey(target) && !_secretConfig.ContainsKey(target) && !variables.Contains(target))
                    problems.Add($"variable '{name}' references '{target}', which is not declared");
        }
        foreach (var r in _resources)
        {
            foreach (var target in StringsIn(inputsOf(r)).SelectMany(Expr.Targets).Distinct())
            {
                if (!_byName.ContainsKey(target) && !_secretConfig.ContainsKey(target) && !variables.Contains(target))
                    problems.Add($"resource '{r.Name}' references '{target}', which is neither a resource nor a declared config key");
            }
        }
        return problems;
    }

    /// <summary>Every string (keys included) in a JSON tree, collected without nested iterators (graphs hold thousands of objects).</summary>
    internal static List<string> StringsIn(JsonNode? node)
    {
        var strings = new List<string>();
        var pending = new Stack<JsonNode?>();
        pending.Push(node);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case JsonObject o:
                    foreach (var (k, v) in o)
                    {
                        strings.Add(k);
                        pending.Push(v);
                    }
                    break;
                case JsonArray a:
                    foreach (var v in a) pending.Push(v);
                    break;
                case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                    strings.Add(v.GetValue<string>());
                    break;
            }
        }
        return strings;
    }
}
