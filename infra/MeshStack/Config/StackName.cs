using System.Text.RegularExpressions;

namespace MeshStack.Config;

/// <summary>Raised for a stack file name the stack cannot carry; exit code 2 like any other invalid configuration.</summary>
public sealed class StackNameException(string message) : Exception(message);

/// <summary>
/// Stack names: letters, digits, '-', '_' and '.', starting with a letter or digit, at most 100 characters. The name
/// reaches resource names and OTEL_RESOURCE_ATTRIBUTES (a comma-separated key=value list), so a comma, '=' or space
/// would inject attributes there.
/// </summary>
public static partial class StackName
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex Pattern();

    /// <returns>What is wrong with the name, or null when it is a valid stack name.</returns>
    public static string? Problem(string stack) => Pattern().IsMatch(stack) ? null
        : $"stack name '{Excerpt.Of(stack)}' must be 1-100 letters, digits, '-', '_' or '.', starting with a letter or digit";

    public static void Check(string stack, string source)
    {
        if (Problem(stack) is { } problem) throw new StackNameException($"{source}: {problem}");
    }
}
