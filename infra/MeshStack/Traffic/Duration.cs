using System.Globalization;
using System.Text.RegularExpressions;

namespace MeshStack.Traffic;

/// <summary>
/// Durations as both meshes spell them: whole seconds as "5s", anything finer as milliseconds ("1600ms").
/// Istio, the Gateway API (^([0-9]{1,5}(h|m|s|ms)){1,4}$) and Linkerd's annotations all accept this form.
/// </summary>
public static partial class Duration
{
    [GeneratedRegex("^([0-9]{1,5})(ms|s|m)$")]
    private static partial Regex Pattern();

    public const string PatternText = "a duration such as 500ms, 5s or 2m";

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var m = Pattern().Match(text);
        if (!m.Success) return false;
        var n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        value = m.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            _ => TimeSpan.FromMinutes(n),
        };
        return true;
    }

    public static string Format(TimeSpan value)
    {
        var ms = (long)value.TotalMilliseconds;
        return ms % 1000 == 0 ? $"{(ms / 1000).ToString(CultureInfo.InvariantCulture)}s" : $"{ms.ToString(CultureInfo.InvariantCulture)}ms";
    }
}
