namespace MeshStack.ServiceDefaults;

/// <summary>
/// What a free-text identifier (customer id, SKU) may hold: a bounded length, no control characters (NUL included:
/// PostgreSQL cannot store it in text, so it would otherwise fail as a 500) and no broken UTF-16 (a lone surrogate
/// cannot be encoded as UTF-8).
/// </summary>
public static class TextField
{
    /// <summary>Null when <paramref name="value"/> is acceptable, else the message for the field's error.</summary>
    public static string? Check(string value, int maxLength)
    {
        if (value.Length > maxLength)
        {
            return $"At most {maxLength} characters.";
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
            {
                return "Must not contain control characters (such as NUL, tab or newline).";
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "Must be valid Unicode text.";
            }
        }

        return null;
    }
}
