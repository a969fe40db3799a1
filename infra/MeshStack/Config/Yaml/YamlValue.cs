using YamlDotNet.Core;

namespace MeshStack.Config.Yaml;

/// <summary>
/// A YAML value as <see cref="BoundedYamlReader"/> reads it: scalars keep their text, style and tag for typing later,
/// every value keeps where it starts. An alias is the same instance as its anchor (a tree that may share nodes).
/// </summary>
public abstract record YamlValue(Mark Start);

public sealed record YamlScalarValue(string Text, ScalarStyle Style, string? Tag, Mark Start) : YamlValue(Start);

public sealed record YamlMapValue(IReadOnlyList<KeyValuePair<YamlScalarValue, YamlValue>> Entries, Mark Start) : YamlValue(Start);

public sealed record YamlListValue(IReadOnlyList<YamlValue> Items, Mark Start) : YamlValue(Start);

/// <summary>Input the reader refuses, at the place it refuses it (1-based line and column).</summary>
public sealed class YamlInputException(Mark at, string message) : Exception(message)
{
    public Mark At { get; } = at;
}
