using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeshStack.Crds;

/// <summary>
/// A value of a field marked <c>x-kubernetes-int-or-string</c>: a port number or a port name, a count or a
/// percentage. It remembers which of the two it holds, so <c>8080</c> and <c>"8080"</c> serialize as they were
/// given (KubernetesClient's IntOrString turns numeric strings into numbers).
/// </summary>
[JsonConverter(typeof(IntOrStringConverter))]
public readonly struct IntOrString : IEquatable<IntOrString>
{
    private readonly string? _string;
    private readonly int _int;

    public IntOrString(int value)
    {
        _int = value;
        _string = null;
    }

    public IntOrString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _string = value;
        _int = 0;
    }

    /// <summary>True when the value is an integer (also for <c>default</c>, which is the integer 0).</summary>
    public bool IsInt => _string is null;

    /// <summary>The integer; throws when the value is a string.</summary>
    public int IntValue => IsInt ? _int : throw new InvalidOperationException($"IntOrString holds the string \"{_string}\".");

    /// <summary>The string; throws when the value is an integer.</summary>
    public string StringValue => _string ?? throw new InvalidOperationException($"IntOrString holds the integer {_int}.");

    public static implicit operator IntOrString(int value) => new(value);

    public static implicit operator IntOrString(string value) => new(value);

    public static IntOrString FromInt32(int value) => new(value);

    public static IntOrString FromString(string value) => new(value);

    public bool Equals(IntOrString other) => IsInt ? other.IsInt && _int == other._int : _string == other._string;

    public override bool Equals(object? obj) => obj is IntOrString other && Equals(other);

    public override int GetHashCode() => IsInt ? _int.GetHashCode() : StringComparer.Ordinal.GetHashCode(_string!);

    public override string ToString() => _string ?? _int.ToString(CultureInfo.InvariantCulture);

    public static bool operator ==(IntOrString left, IntOrString right) => left.Equals(right);

    public static bool operator !=(IntOrString left, IntOrString right) => !left.Equals(right);
}

/// <summary>Reads a JSON number as an integer and a JSON string as a string; writes each back as it was.</summary>
public sealed class IntOrStringConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetInt32(out var number) => new IntOrString(number),
            JsonTokenType.String => new IntOrString(reader.GetString()!),
            _ => throw new JsonException($"Expected an integer or a string, found {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.IsInt)
        {
            writer.WriteNumberValue(value.IntValue);
        }
        else
        {
            writer.WriteStringValue(value.StringValue);
        }
    }
}
