namespace MeshStack.Analysis;

/// <summary>One finding: the rule, its level, the object it is about, what is wrong and how to fix it.</summary>
public sealed record Finding(FindingLevel Level, string Rule, ObjectRef Object, string Message, string Fix)
{
    public string LevelName => Level.ToString().ToLowerInvariant();

    /// <summary>The text format: one finding per line.</summary>
    public override string ToString() => $"{LevelName} {Rule} {Object}: {Message} (fix: {Fix})";
}
