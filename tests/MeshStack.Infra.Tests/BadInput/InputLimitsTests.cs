using MeshStack.Config;
using MeshStack.Config.Yaml;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.BadInput;

/// <summary>Each limit holds exactly where README says: the value at the limit is read, one past it is refused.</summary>
public class InputLimitsTests
{
    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    [Fact]
    public void Nesting_is_read_to_32_levels_and_refused_at_33()
    {
        Assert.NotNull(BoundedYamlReader.Read(Nested(InputLimits.Depth)));
        var e = Assert.Throws<YamlInputException>(() => BoundedYamlReader.Read(Nested(InputLimits.Depth + 1)));
        Assert.Equal((1, InputLimits.Depth + 1), (e.At.Line, e.At.Column));
    }

    [Fact]
    public void Alias_expansion_counts_every_repeated_value()
    {
        // a list of 99 values (100 with the list) repeated 99 times, plus the outer list: 10,000 values
        var inner = "[" + string.Join(",", Enumerable.Repeat("x", 99)) + "]";
        string Doc(int copies) => $"a: &a {inner}\nb: [{string.Join(",", Enumerable.Repeat("*a", copies))}]\n";
        Assert.NotNull(BoundedYamlReader.Read(Doc(97)));
        var e = Assert.Throws<YamlInputException>(() => BoundedYamlReader.Read(Doc(100)));
        Assert.Contains("expands to more than 10000 values", e.Message);
    }

    [Fact]
    public void Keys_are_read_to_256_characters()
    {
        Assert.NotNull(BoundedYamlReader.Read($"{new string('k', InputLimits.KeyLength)}: 1\n"));
        Assert.Throws<YamlInputException>(() => BoundedYamlReader.Read($"{new string('k', InputLimits.KeyLength + 1)}: 1\n"));
    }

    [Fact]
    public void Values_are_read_to_64_KiB_except_encrypted_ones()
    {
        Assert.NotNull(BoundedYamlReader.Read($"k: {new string('v', InputLimits.ValueLength)}\n"));
        Assert.Throws<YamlInputException>(() => BoundedYamlReader.Read($"k: {new string('v', InputLimits.ValueLength + 1)}\n"));
        Assert.NotNull(BoundedYamlReader.Read($"k:\n  secure: {new string('v', InputLimits.ValueLength * 2)}\n"));
    }

    [Fact]
    public void A_stack_file_is_read_to_1_MiB()
    {
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, "Pulumi.big.yaml");
        var head = "config:\n  mesh-stack:clusters: [{name: a, context: b}]\n";
        // comments fill the file to exactly the limit, then one byte more
        File.WriteAllText(file, head + "#" + new string('c', InputLimits.DocumentBytes - head.Length - 2) + "\n");
        Assert.False(StackFile.Load(file).IsUnreadable);
        File.AppendAllText(file, "#");
        Assert.True(StackFile.Load(file).IsUnreadable);
    }

    private static string Clusters(int count) => "config:\n  mesh-stack:mesh: istio\n  mesh-stack:clusters:\n"
        + string.Concat(Enumerable.Range(0, count).Select(i => $"    - {{name: c{i}, context: x{i}, server: \"https://c{i}.example.com\"}}\n"));

    [Fact]
    public void A_stack_binds_20_clusters_and_refuses_21()
    {
        Assert.Equal(InputLimits.Clusters, Stacks.ConfigFromYaml(Clusters(InputLimits.Clusters)).Clusters.Count);
        var e = Assert.Throws<ConfigException>(() => Stacks.ConfigFromYaml(Clusters(InputLimits.Clusters + 1)));
        Assert.Equal("mesh-stack:clusters: has 21 items; at most 20 are allowed (limit)", Assert.Single(e.Problems).ToString());
    }

    [Fact]
    public void Other_lists_hold_100_items()
    {
        string Edge(int count) => "config:\n  mesh-stack:clusters: [{name: a, context: b}]\n  mesh-stack:traffic:\n    edge:\n"
            + string.Concat(Enumerable.Range(0, count).Select(i => $"      - {{host: h{i}.example.com, service: api-gateway}}\n"));
        Assert.Equal(InputLimits.Items, Stacks.ConfigFromYaml(Edge(InputLimits.Items)).Traffic.Edge.Count);
        var e = Assert.Throws<ConfigException>(() => Stacks.ConfigFromYaml(Edge(InputLimits.Items + 1)));
        Assert.Equal("mesh-stack:traffic.edge: has 101 items; at most 100 are allowed (limit)", Assert.Single(e.Problems).ToString());
    }
}
