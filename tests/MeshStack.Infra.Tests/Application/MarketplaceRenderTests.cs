using MeshStack.Analysis.Simulation;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Application;

/// <summary>
/// An application unlike ecommerce, declared by a user's C# host (a) and as <c>mesh-stack:app</c> (b), on Istio and
/// Linkerd with 1 and 3 clusters: both declarations render the same bytes, the render passes the shared validator and
/// <c>check</c>, with no change to MeshStack for this app.
/// </summary>
public class MarketplaceRenderTests
{
    [Theory]
    [MemberData(nameof(Marketplace.StackNames), MemberType = typeof(Marketplace))]
    public void The_host_and_the_stack_config_declarations_render_the_same_bytes(string stack)
    {
        var host = FolderSnapshot.Of(Marketplace.HostRender(stack));
        var config = FolderSnapshot.Of(Marketplace.ConfigRender(stack));
        config.AssertSame(host, stack);
        // the app is really there: each of its services has a Deployment somewhere
        foreach (var service in Marketplace.Config(stack).App.Services)
            Assert.Contains(host.Entries.Keys, f => f.EndsWith($"market-deployment-{service.Name}.yaml", StringComparison.Ordinal));
    }

    /// <summary>
    /// The host as a user builds and runs it: its own process (Program.cs, Main, exit code, the files it writes) renders
    /// the bytes the in-process runs above compare with, and `check` through it passes.
    /// </summary>
    [Fact]
    public void The_built_host_process_renders_the_same_bytes_and_checks_clean()
    {
        const string stack = "market-istio-3";
        var (dir, file) = Marketplace.Write(stack, Marketplace.WithoutApp(stack));
        var outDir = Path.Combine(dir, "out");
        var render = Marketplace.HostProcess(dir, "render", "--config", file, "--out", outDir);
        Assert.True(render.ExitCode == 0, render.Stderr);
        FolderSnapshot.Of(outDir).AssertSame(FolderSnapshot.Of(Marketplace.HostRender(stack)), stack);

        var check = Marketplace.HostProcess(dir, "check", "--dir", outDir, "--config", file);
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        Assert.Contains($"checked {stack}: 0 errors", check.Stdout + check.Stderr);
    }

    /// <summary>Seeded fault for the comparison above: one call less in the config's app is a different render.</summary>
    [Fact]
    public void A_config_app_with_one_call_less_renders_differently_from_the_host()
    {
        const string stack = "market-linkerd-1";
        var yaml = Marketplace.WithApp(stack);
        const string call = "          - {service: search, routes: [query]}\n";
        Assert.Contains(call, yaml);
        var fewer = FolderSnapshot.Of(Marketplace.Render(stack, yaml.Replace(call, "", StringComparison.Ordinal))).Entries;
        var host = FolderSnapshot.Of(Marketplace.HostRender(stack)).Entries;
        var changed = host.Keys.Where(k => !fewer.TryGetValue(k, out var v) || v != host[k]).ToList();
        // storefront no longer calls search: search's authorization is one of what changes
        Assert.Contains(changed, f => f.Contains("search", StringComparison.Ordinal));
    }

    [SkippableTheoryIfNoShared]
    [MemberData(nameof(Marketplace.StackNames), MemberType = typeof(Marketplace))]
    public void Each_render_passes_validate_render_with_no_errors(string stack) =>
        UpstreamValidationTests.AssertNoErrors(Marketplace.ConfigRender(stack));

    [Theory]
    [MemberData(nameof(Marketplace.StackNames), MemberType = typeof(Marketplace))]
    public void Check_finds_no_error_through_either_front_door(string stack)
    {
        var config = InProcess.Run(Repo.Root, null, "check", "--config", Marketplace.StackFile(stack));
        Assert.True(config.ExitCode == 0, config.Stdout + config.Stderr);
        Assert.Contains($"checked {stack}: 0 errors", config.Stdout + config.Stderr);

        var (dir, file) = Marketplace.Write(stack, Marketplace.WithoutApp(stack));
        var host = Marketplace.HostRun(dir, "check", "--dir", Marketplace.HostRender(stack), "--config", file);
        Assert.True(host.ExitCode == 0, host.Stdout + host.Stderr);
        Assert.Contains($"checked {stack}: 0 errors", host.Stdout + host.Stderr);
    }

    /// <summary>
    /// search runs only in central; the VirtualServices of east and west route it to subset v1, which istiod fills
    /// from central's endpoints (the fix of MS302 this app needed). Seeded fault: no search pod anywhere is v1.
    /// </summary>
    [Fact]
    public void A_subset_whose_pods_run_in_no_cluster_is_still_caught_on_istio()
    {
        const string stack = "market-istio-3";
        var dir = Path.Combine(Repo.TempDir(), "render");
        CopyDirectory(Marketplace.ConfigRender(stack), dir);
        var deployment = Path.Combine(dir, "manifests", "central", "market-deployment-search.yaml");
        var text = File.ReadAllText(deployment);
        Assert.Contains("version: \"v1\"", text);
        File.WriteAllText(deployment, text.Replace("version: \"v1\"", "version: \"v9\"", StringComparison.Ordinal));

        var result = InProcess.Run(Repo.Root, null, "check", "--dir", dir, "--config", Marketplace.StackFile(stack));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("MS302 east/VirtualService/market/search", result.Stdout);
        Assert.Contains("MS302 west/VirtualService/market/search", result.Stdout);
    }

    /// <summary>
    /// The app's name (marketplace) differs from its namespace (market): the proxies' admin Server must select the
    /// pods by the part-of label they carry, or Linkerd-viz's Prometheus could scrape none of them (the namespace
    /// denies by default). Seeded fault: the Server selecting part-of = the namespace, as it did.
    /// </summary>
    [Fact]
    public void Linkerd_viz_scrapes_every_marketplace_proxy_and_only_through_the_admin_server()
    {
        const string stack = "market-linkerd-1";
        var config = Marketplace.Config(stack);
        var objects = Marketplace.Emit(stack).Manifests.Where(m => m.Cluster == "east").Select(m => m.Parse()).ToList();
        const string prometheus = "prometheus.linkerd-viz.serviceaccount.identity.linkerd.cluster.local";
        var scrape = new InboundRequest(prometheus, "GET", "/metrics");
        var server = objects.Single(o => o["kind"]!.GetValue<string>() == "Server" && o["metadata"]!["name"]!.GetValue<string>() == "linkerd-admin");
        var seeded = objects.Select(o => o == server ? o.DeepClone().AsObject() : o).ToList();
        seeded.Single(o => o["kind"]!.GetValue<string>() == "Server" && o["metadata"]!["name"]!.GetValue<string>() == "linkerd-admin")
            ["spec"]!["podSelector"]!["matchLabels"]!["app.kubernetes.io/part-of"] = config.App.Namespace;

        foreach (var service in config.App.Services)
        {
            var labels = Pods.Labels(objects, config.App.Namespace, service.Name)!;
            Assert.True(new LinkerdAuthorizer(objects).Allows(config.App.Namespace, labels, "linkerd-admin", scrape), $"{service.Name}: scrape denied");
            Assert.False(new LinkerdAuthorizer(objects).Allows(config.App.Namespace, labels, "linkerd-admin", scrape with { Principal = "intruder.default.serviceaccount.identity.linkerd.cluster.local" }), $"{service.Name}: an intruder scrapes");
            // the seeded Server selects no pod: the admin port falls to the namespace's default, which admits any meshed client
            var intruder = scrape with { Principal = "intruder.default.serviceaccount.identity.linkerd.cluster.local" };
            Assert.True(new LinkerdAuthorizer(seeded).Allows(config.App.Namespace, labels, "linkerd-admin", intruder), $"{service.Name}: the seeded Server went unnoticed");
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
