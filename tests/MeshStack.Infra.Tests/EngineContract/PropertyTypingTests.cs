using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshStack.Graph;
using MeshStack.Tests.EngineContract.Typing;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.EngineContract;

/// <summary>
/// Every property of every resource the program declares is one the pinned SDK's <c>*Args</c> (or a nested input
/// type) declares, of a type the Pulumi YAML analyser accepts, with every required property present. The analyser
/// rejects the program otherwise, before anything is created (pulumi-yaml v1.38.1 <c>pkg/pulumiyaml/analyser.go</c>
/// typeResource 599-652, typePropertyEntries 784-815, isAssignable 204-470). The SDK interfaces are generated from
/// the provider schema that analyser loads, so they carry the same names, types and required flags.
/// </summary>
public class PropertyTypingTests
{
    private const string FaultStack = "stack:dev";

    [SkippableTheoryIfNoShared]
    [InlineData("kubernetes")]
    [InlineData("tls")]
    [InlineData("random")]
    public void The_sdk_read_is_the_pinned_plugin_version(string package)
    {
        var sdk = PinnedSdks.For(package)!;
        Assert.Equal($"@pulumi/{package}", sdk.Name);
        // package.json inside the tarball, not its file name: the typings are those of the plugin the program runs
        Assert.Equal(PluginVersions.For(package), sdk.Version);
    }

    [SkippableTheoryIfNoShared]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void Every_property_of_every_resource_has_the_type_the_pinned_sdk_declares(string name)
    {
        // the program text as the runtime reads it: references are ${...} there
        var problems = PropertyTypeCheck.Pinned.Problems(ProgramDocument.Parse(CorpusRender.Of(name).ProgramYaml).Root);
        Assert.True(problems.Count == 0, $"{name}:\n{string.Join("\n", problems)}");
    }

    /// <summary>
    /// The reader models every type reachable from the arguments of each resource type the corpus uses, so no value
    /// can pass because its declaration was not understood.
    /// </summary>
    [SkippableTheoryIfNoShared]
    [InlineData("kubernetes")]
    [InlineData("tls")]
    [InlineData("random")]
    public void Every_type_reachable_from_the_programs_resources_is_modelled(string package)
    {
        var tokens = StackCorpus.All
            .SelectMany(e => CorpusRender.Of(e.Name).Program["resources"]!.AsObject())
            .Select(r => r.Value!["type"]!.GetValue<string>())
            .Where(t => TypeTokens.Package(t) == package)
            .Append($"pulumi:providers:{package}")
            .ToHashSet(StringComparer.Ordinal);
        var sdk = PinnedSdks.For(package)!;
        var gaps = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in tokens.Order(StringComparer.Ordinal))
        {
            var args = sdk.Args(token);
            if (args is null) gaps.Add($"{token}: no arguments interface ({sdk.ArgsLocation(token)?.ToString() ?? "no such resource"})");
            else Reachable(sdk, args, token, seen, gaps);
        }
        Assert.True(gaps.Count == 0, string.Join("\n", gaps));
    }

    private static void Reachable(SdkPackage sdk, SdkInterface shape, string where, HashSet<string> seen, List<string> gaps)
    {
        foreach (var property in shape.Properties) Visit(sdk, property.Type, $"{where}.{property.Name}", seen, gaps);
    }

    private static void Visit(SdkPackage sdk, SdkType type, string where, HashSet<string> seen, List<string> gaps)
    {
        switch (type)
        {
            case SdkType.Unsupported u: gaps.Add($"{where}: {u.Text}"); break;
            case SdkType.ListOf l: Visit(sdk, l.Element, where, seen, gaps); break;
            case SdkType.MapOf m: Visit(sdk, m.Value, where, seen, gaps); break;
            case SdkType.OneOf o: foreach (var member in o.Members) Visit(sdk, member, where, seen, gaps); break;
            case SdkType.Shape s: Reachable(sdk, s.Interface, where, seen, gaps); break;
            case SdkType.InputRef r when seen.Add(r.Name):
                if (sdk.Input(r.Name) is { } input) Reachable(sdk, input, r.Name, seen, gaps);
                else gaps.Add($"{where}: {r.Name} not in types/input.d.ts");
                break;
        }
    }

    /// <summary>The reader sees what the declarations say, on types whose shape is known from the Kubernetes API.</summary>
    [SkippableTheoryIfNoShared]
    [InlineData("kubernetes")]
    public void The_reader_sees_required_flags_lists_maps_and_unions_as_declared(string package)
    {
        var sdk = PinnedSdks.For(package)!;
        var deployment = sdk.Args(TypeTokens.Kubernetes("apps", "v1", "Deployment"))!;
        Assert.Equal(new SdkType.Literal("apps/v1"), deployment.Property("apiVersion")!.Type);
        Assert.False(deployment.Property("metadata")!.Required);
        Assert.Equal(new SdkType.InputRef("apps.v1.DeploymentSpec"), deployment.Property("spec")!.Type);

        var containers = sdk.Input("core.v1.PodSpec")!.Property("containers")!;
        Assert.True(containers.Required);
        Assert.Equal(new SdkType.ListOf(new SdkType.InputRef("core.v1.Container")), containers.Type);
        Assert.Equal(new SdkType.MapOf(SdkType.String), sdk.Input("meta.v1.ObjectMeta")!.Property("labels")!.Type);
        var targetPort = (SdkType.OneOf)sdk.Input("core.v1.ServicePort")!.Property("targetPort")!.Type;
        Assert.Equal([SdkType.Number, SdkType.String], targetPort.Members);

        var release = sdk.Args(TypeTokens.HelmRelease)!;
        Assert.True(release.Property("chart")!.Required);
        Assert.Equal(new SdkType.MapOf(SdkType.Any), release.Property("values")!.Type);
        Assert.Equal(new SdkType.ListOf(new SdkType.OneOf([SdkType.Asset, SdkType.Archive])), release.Property("valueYamlFiles")!.Type);
        Assert.Equal(new SdkType.ListOf(SdkType.Any), sdk.Args(TypeTokens.ConfigGroup)!.Property("objs")!.Type);

        // a token finds its file through the module that registers it, not through a guess at the file name
        Assert.Equal(("networking/v1/ipaddress.d.ts", "IPAddressArgs"), sdk.ArgsLocation("kubernetes:networking.k8s.io/v1:IPAddress"));
        Assert.Equal(("helm/v3/release.d.ts", "ReleaseArgs"), sdk.ArgsLocation(TypeTokens.HelmRelease));
        Assert.Equal(("provider.d.ts", "ProviderArgs"), sdk.ArgsLocation(TypeTokens.KubernetesProvider));
        Assert.Null(sdk.ArgsLocation("kubernetes:apps/v1:Deploymnet"));
    }

    /// <summary>
    /// The reader misses nothing of <c>types/input.d.ts</c>: as many interfaces and members as the file declares
    /// line by line (the generator writes one member per line), every reference resolved, none of a form it does not model.
    /// </summary>
    [SkippableTheoryIfNoShared]
    [InlineData("kubernetes")]
    [InlineData("tls")]
    public void The_reader_reads_every_input_interface_and_member(string package)
    {
        var sdk = PinnedSdks.For(package)!;
        var text = sdk.Declaration("types/input.d.ts")!;
        var interfaces = Regex.Matches(text, @"^\s*(export\s+)?(declare\s+)?interface\s+\w+", RegexOptions.Multiline).Count;
        var members = Regex.Matches(text, @"^\s+(readonly\s+)?[\w$""]+\??: ", RegexOptions.Multiline).Count;
        Assert.True(interfaces > 0);
        Assert.Equal(interfaces, sdk.Inputs.Count);
        Assert.Equal(members, sdk.Inputs.Values.Sum(i => i.Properties.Count));
        var gaps = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, input) in sdk.Inputs) Reachable(sdk, input, name, seen, gaps);
        Assert.True(gaps.Count == 0, string.Join("\n", gaps));
    }

    // ---- seeded faults: each breaks one real emitted program in one place and must be reported there, alone ----

    /// <summary>An unknown field of a nested object is an error (analyser.go:428-457, NonExistentFieldFormatter).</summary>
    [SkippableTheoryIfNoShared]
    [InlineData(FaultStack)]
    public void An_unknown_property_on_a_deployments_spec_is_reported_at_its_path(string stack)
    {
        var (name, problem) = Seed(stack, TypeTokens.Kubernetes("apps", "v1", "Deployment"), r => r["properties"]!["spec"]!["replicaCount"] = 2);
        Assert.Equal($"{name}: spec.replicaCount: no such property in apps.v1.DeploymentSpec", problem);
    }

    /// <summary>A string is not assignable to a number (analyser.go:294-295: only number or integer is).</summary>
    [SkippableTheoryIfNoShared]
    [InlineData(FaultStack)]
    public void A_string_where_an_integer_is_expected_is_reported(string stack)
    {
        var (name, problem) = Seed(stack, TypeTokens.Kubernetes("apps", "v1", "Deployment"), r => r["properties"]!["spec"]!["replicas"] = "3");
        Assert.Equal($"{name}: spec.replicas: expected number, got the string \"3\"", problem);
    }

    /// <summary>The same inside a list of objects: the path names the element (analyser.go:329-334 then 366-458).</summary>
    [SkippableTheoryIfNoShared]
    [InlineData(FaultStack)]
    public void A_string_container_port_is_reported_at_its_list_element(string stack)
    {
        var (name, problem) = Seed(stack, TypeTokens.Kubernetes("apps", "v1", "Deployment"),
            r => r["properties"]!["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["containerPort"] = "8080");
        Assert.Equal($"{name}: spec.template.spec.containers[0].ports[0].containerPort: expected number, got the string \"8080\"", problem);
    }

    /// <summary>
    /// The analyser accepts a number for a string (analyser.go:300-307) but nothing converts it: a label value 3
    /// reaches the provider as a number (pulumi-yaml-facts pitfall 11). Reported although the engine would pass it.
    /// </summary>
    [SkippableTheoryIfNoShared]
    [InlineData(FaultStack)]
    public void A_number_where_a_string_is_expected_is_reported(string stack)
    {
        var (name, problem) = Seed(stack, TypeTokens.Kubernetes("apps", "v1", "Deployment"), r => r["properties"]!["metadata"]!["labels"]!["version"] = 3);
        Assert.Equal($"{name}: metadata.labels.version: expected string, got the number 3: Pulumi YAML passes it on unconverted, not as a string", problem);
    }

    /// <summary>A required property left out is "Missing required property" (analyser.go:408-415).</summary>
    [SkippableTheoryIfNoShared]
    [InlineData(FaultStack)]
    public void A_tls_private_key_without_its_algorithm_is_reported(string stack)
    {
        var (name, problem) = Seed(stack, TypeTokens.TlsPrivateKey, r => r["properties"]!.AsObject().Remove("algorithm"));
        Assert.Equal($"{name}: algorithm: required by PrivateKeyArgs, missing", problem);
    }

    /// <summary>Top-level resource properties are typed as one object against the Args (analyser.go:784-815 then 428-457).</summary>
    [SkippableTheoryIfNoShared]
    [InlineData(FaultStack)]
    public void An_unknown_property_on_a_helm_release_is_reported(string stack)
    {
        var (name, problem) = Seed(stack, TypeTokens.HelmRelease, r => r["properties"]!["valuesFiles"] = new JsonArray("values.yaml"));
        Assert.Equal($"{name}: valuesFiles: no such property in ReleaseArgs", problem);
    }

    /// <summary>A provider resource's inputs are typed like any resource's (analyser.go:599-652; string to bool fails at 313-314).</summary>
    [SkippableTheoryIfNoShared]
    [InlineData(FaultStack)]
    public void A_wrong_type_on_a_provider_input_is_reported(string stack)
    {
        var (name, problem) = Seed(stack, TypeTokens.KubernetesProvider, r => r["properties"]!["enableServerSideApply"] = "true");
        Assert.Equal($"{name}: enableServerSideApply: expected boolean, got the string \"true\"", problem);
    }

    /// <summary><c>fn::secret</c> has the type of its argument (analyser.go:1143-1145): a secret string is still a string.</summary>
    [SkippableTheoryIfNoShared]
    [InlineData(FaultStack)]
    public void A_secret_literal_of_the_wrong_type_is_reported(string stack)
    {
        var (name, problem) = Seed(stack, TypeTokens.RandomPassword, r => r["properties"]!["length"] = new JsonObject { ["fn::secret"] = "24" });
        Assert.Equal($"{name}: length: expected number, got the string \"24\"", problem);
    }

    /// <summary>
    /// Text around <c>${...}</c> is an interpolated string (ast/expr.go:294-312, typed string at analyser.go:1087-1089),
    /// so it cannot be an object; a bare <c>${ref}</c> is typed as what it refers to and is not reported.
    /// </summary>
    [SkippableTheoryIfNoShared]
    [InlineData(FaultStack)]
    public void An_interpolated_string_where_an_object_is_expected_is_reported_but_a_reference_is_not(string stack)
    {
        const string deployment = "kubernetes:apps/v1:Deployment";
        var (name, problem) = Seed(stack, deployment, r => r["properties"]!["spec"]!["template"] = "tpl-${k8s-dev.id}");
        Assert.Equal($"{name}: spec.template: expected an object (core.v1.PodTemplateSpec), got the interpolated string \"tpl-${{k8s-dev.id}}\"", problem);

        var program = ProgramDocument.Parse(CorpusRender.Of(stack).ProgramYaml).Root;
        var resource = program["resources"]!.AsObject().First(r => r.Value!["type"]!.GetValue<string>() == deployment).Value!;
        resource["properties"]!["spec"]!["template"] = "${k8s-dev.id}";
        Assert.Equal(PropertyTypeCheck.Pinned.Problems(ProgramDocument.Parse(CorpusRender.Of(stack).ProgramYaml).Root), PropertyTypeCheck.Pinned.Problems(program));
    }

    /// <summary><c>$$</c> is a literal '$' (ast/interpolation.go:21-23): an escaped literal is plain text, checked as such.</summary>
    [SkippableTheoryIfNoShared]
    [InlineData(FaultStack)]
    public void An_escaped_dollar_string_is_literal_text(string stack)
    {
        var (name, problem) = Seed(stack, TypeTokens.Kubernetes("apps", "v1", "Deployment"), r => r["properties"]!["spec"]!["replicas"] = "$${n}");
        Assert.Equal($"{name}: spec.replicas: expected number, got the string \"${{n}}\"", problem);
    }

    /// <summary>A type token the SDK does not register cannot be resolved (analyser.go:611-614, "error resolving type of resource").</summary>
    [SkippableTheoryIfNoShared]
    [InlineData(FaultStack)]
    public void A_resource_type_the_sdk_does_not_have_is_reported(string stack)
    {
        var (name, problem) = Seed(stack, TypeTokens.Kubernetes("apps", "v1", "Deployment"), r => r["type"] = "kubernetes:apps/v1:Deploymnet");
        Assert.Equal($"{name}: type: @pulumi/kubernetes {PluginVersions.Kubernetes} has no resource kubernetes:apps/v1:Deploymnet", problem);
    }

    /// <summary>
    /// Explicit tls and random providers (pitfall 13) take no required input, so a bare provider resource types
    /// cleanly, while a resource option written as a property (here <c>version</c>) is an unknown property.
    /// </summary>
    [SkippableTheoryIfNoShared]
    [InlineData("tls")]
    [InlineData("random")]
    public void A_bare_tls_or_random_provider_passes_and_an_option_written_as_a_property_does_not(string package)
    {
        var token = $"pulumi:providers:{package}";
        var program = new JsonObject
        {
            ["resources"] = new JsonObject
            {
                [$"{package}-provider"] = new JsonObject { ["type"] = token, ["options"] = new JsonObject { ["version"] = PluginVersions.For(package) } },
                [$"{package}-provider-wrong"] = new JsonObject { ["type"] = token, ["properties"] = new JsonObject { ["version"] = PluginVersions.For(package) } },
            },
        };
        Assert.Equal([$"{package}-provider-wrong: version: no such property in ProviderArgs"], PropertyTypeCheck.Pinned.Problems(program));
    }

    /// <summary>
    /// Properties are typed when present or when there is no <c>get</c> (analyser.go:628, 641-652): a <c>get</c> of a
    /// Deployment needs no <c>spec</c>, the same resource declared without one misses a required property.
    /// </summary>
    [SkippableTheoryIfNoShared]
    [InlineData("kubernetes:apps/v1:Deployment")]
    public void A_get_is_not_held_to_required_properties_but_a_declared_resource_is(string token)
    {
        JsonObject Program(JsonObject resource) => new() { ["resources"] = new JsonObject { ["gw"] = resource } };
        var read = Program(new JsonObject { ["type"] = token, ["get"] = new JsonObject { ["id"] = "ecommerce/gw" } });
        var declared = Program(new JsonObject { ["type"] = token, ["properties"] = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "gw" } } });
        Assert.Empty(PropertyTypeCheck.Pinned.Problems(read));
        Assert.Equal(["gw: spec: required by DeploymentArgs, missing"], PropertyTypeCheck.Pinned.Problems(declared));
    }

    /// <summary>
    /// The first resource of a type in a corpus program, broken by <paramref name="fault"/>; returns its name and the
    /// one problem the fault adds (the program's own problems, if any, are set aside so each fault is seen alone).
    /// </summary>
    private static (string Name, string Problem) Seed(string stack, string token, Action<JsonObject> fault)
    {
        var original = ProgramDocument.Parse(CorpusRender.Of(stack).ProgramYaml).Root;
        var program = original.DeepClone().AsObject();
        var (name, resource) = program["resources"]!.AsObject().First(r => r.Value!["type"]!.GetValue<string>() == token);
        fault(resource!.AsObject());
        var before = PropertyTypeCheck.Pinned.Problems(original);
        var added = PropertyTypeCheck.Pinned.Problems(program).Except(before).ToList();
        Assert.True(added.Count == 1, $"expected one new problem, got {added.Count}:\n{string.Join("\n", added)}");
        return (name, added[0]);
    }
}
