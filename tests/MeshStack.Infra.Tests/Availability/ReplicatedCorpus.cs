using System.Text.RegularExpressions;
using MeshStack.Output;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Availability;

/// <summary>A corpus stack with <c>replicas: 3</c>, whatever its own count: HA settings apply from 2 on.</summary>
public static class ReplicatedCorpus
{
    public static EmittedStack Emit(string name)
    {
        var entry = StackCorpus.Get(name);
        var yaml = Regex.Replace(entry.Yaml, @"mesh-stack:replicas: \d+", "mesh-stack:replicas: 3");
        if (!yaml.Contains("mesh-stack:replicas:", StringComparison.Ordinal)) yaml = yaml.Replace("config:\n", "config:\n  mesh-stack:replicas: 3\n", StringComparison.Ordinal);
        return CorpusRender.Emit(entry with { Yaml = yaml });
    }
}
