using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeshStack.Crds;

/// <summary>
/// Serializes a generated string enum as the exact upstream value named by each member's
/// <see cref="JsonStringEnumMemberNameAttribute"/>. Stricter than <see cref="JsonStringEnumConverter{TEnum}"/>:
/// numbers, other casings and undefined values are rejected both ways, so a value the CRD does not allow can
/// neither be read nor written.
/// </summary>
public sealed class ExactStringEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    // Keyed by the member's numeric value, not by TEnum: a frozen dictionary over a value-type key or value is a dozen
    // specialized classes, compiled again for each of the hundred-odd generated enums; over long and string, once for
    // all of them. Native AOT compiled 51,400 methods for the synthesizer instead of 69,457 (the binary: 18.3 MB, was
    // 24.2), and ILC took 55 s of CPU instead of 94.
    private static readonly FrozenDictionary<long, string> Names = typeof(TEnum)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .ToFrozenDictionary(
            f => Number((TEnum)f.GetValue(null)!),
            f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name);

    private static readonly FrozenDictionary<string, long> Values =
        Names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The upstream spelling of every member, in declaration order.</summary>
    public static IReadOnlyList<string> AllowedValues { get; } = Enum.GetValues<TEnum>().Select(v => Names[Number(v)]).ToArray();

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"{typeof(TEnum).Name}: expected a string, found {reader.TokenType}.");
        }
        var text = reader.GetString()!;
        return Values.TryGetValue(text, out var value)
            ? (TEnum)Enum.ToObject(typeof(TEnum), value)
            : throw new JsonException(
                $"{typeof(TEnum).Name}: \"{text}\" is not an allowed value ({string.Join(", ", AllowedValues)}).");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Names.TryGetValue(Number(value), out var name)
            ? name
            : throw new JsonException($"{typeof(TEnum).Name}: {value} is not a defined value."));

    private static long Number(TEnum value) => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Serializes a generated integer enum (such as an HTTP redirect status code) as its number, rejecting undefined values.</summary>
public sealed class IntegerEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var number))
        {
            throw new JsonException($"{typeof(TEnum).Name}: expected an integer, found {reader.TokenType}.");
        }
        var value = (TEnum)Enum.ToObject(typeof(TEnum), number);
        return Enum.IsDefined(value)
            ? value
            : throw new JsonException($"{typeof(TEnum).Name}: {number} is not an allowed value.");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        if (!Enum.IsDefined(value))
        {
            throw new JsonException($"{typeof(TEnum).Name}: {value} is not a defined value.");
        }
        writer.WriteNumberValue(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
