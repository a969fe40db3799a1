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
    private static readonly FrozenDictionary<TEnum, string> Names = typeof(TEnum)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .ToFrozenDictionary(
            f => (TEnum)f.GetValue(null)!,
            f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name);

    private static readonly FrozenDictionary<string, TEnum> Values =
        Names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The upstream spelling of every member, in declaration order.</summary>
    public static IReadOnlyList<string> AllowedValues { get; } = Enum.GetValues<TEnum>().Select(v => Names[v]).ToArray();

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"{typeof(TEnum).Name}: expected a string, found {reader.TokenType}.");
        }
        var text = reader.GetString()!;
        return Values.TryGetValue(text, out var value)
            ? value
            : throw new JsonException(
                $"{typeof(TEnum).Name}: \"{text}\" is not an allowed value ({string.Join(", ", AllowedValues)}).");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Names.TryGetValue(value, out var name)
            ? name
            : throw new JsonException($"{typeof(TEnum).Name}: {value} is not a defined value."));
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
