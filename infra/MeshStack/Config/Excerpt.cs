namespace MeshStack.Config;

/// <summary>Input quoted back in a message: at most 60 characters, so a megabyte value is never echoed whole.</summary>
public static class Excerpt
{
    public static string Of(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
