using System.Text;
using MeshStack.Output;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.BadInput;

/// <summary>
/// The longest edge host accepted still renders: its objects are named within Kubernetes' 253 characters and its
/// manifest files within the file system's 255 bytes (it used to fail with exit 1 on the path length).
/// Object names are DNS-1123 subdomains (kubernetes/apimachinery v0.35.7, pkg/api/validation/generic.go:43
/// NameIsDNSSubdomain), at most 253 characters (pkg/util/validation/validation.go:191).
/// </summary>
public class LongNameTests
{
    private static readonly string LongestHost = string.Join('.', Enumerable.Repeat(new string('a', 61), 3)) + "." + new string('b', 58) + ".com";

    [Theory]
    [InlineData("istio")]
    [InlineData("linkerd")]
    public void The_longest_accepted_edge_host_renders_with_names_and_files_in_bounds(string mesh)
    {
        Assert.Equal(248, LongestHost.Length);
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, "Pulumi.long.yaml");
        File.WriteAllText(file, $"config:\n  mesh-stack:mesh: {mesh}\n  mesh-stack:clusters:\n    - name: east\n      context: c\n  mesh-stack:traffic:\n    edge:\n      - host: {LongestHost}\n        service: api-gateway\n");
        var result = InProcess.Run(dir, null, "render", "--config", file, "--out", Path.Combine(dir, "out"));
        Assert.True(result.ExitCode == 0, result.Stderr);

        var files = Directory.GetFiles(Path.Combine(dir, "out", "manifests", "east")).Select(Path.GetFileName).OfType<string>().ToList();
        Assert.All(files, f => Assert.True(Encoding.UTF8.GetByteCount(f) <= 255, f));
        var edge = files.Where(f => f.Contains("-edge-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(edge);
        foreach (var f in edge)
        {
            var name = RenderedManifest.Parse(new ManifestFile("east", f, File.ReadAllText(Path.Combine(dir, "out", "manifests", "east", f))))["metadata"]!["name"]!.GetValue<string>();
            Assert.Equal(253, name.Length);
        }
    }

    [Fact]
    public void A_file_name_is_cut_with_a_hash_only_when_too_long_and_stays_unique()
    {
        Assert.Equal("ecommerce-service-order.yaml", StackEmitter.FileName("ecommerce-service-order"));
        var a = StackEmitter.FileName(new string('x', 300) + "a");
        var b = StackEmitter.FileName(new string('x', 300) + "b");
        Assert.Equal(255, a.Length);
        Assert.NotEqual(a, b);
        Assert.Equal(a, StackEmitter.FileName(new string('x', 300) + "a"));
    }
}
