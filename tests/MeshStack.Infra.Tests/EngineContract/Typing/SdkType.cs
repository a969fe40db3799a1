namespace MeshStack.Tests.EngineContract.Typing;

/// <summary>
/// What an SDK input declaration allows, reduced to what a Pulumi YAML value can be. <c>pulumi.Input&lt;T&gt;</c>
/// is T (YAML has no inputs vs. plain values), <c>undefined</c> only says a property is optional.
/// </summary>
public abstract record SdkType
{
    public static readonly SdkType String = new Scalar("string");
    public static readonly SdkType Number = new Scalar("number");
    public static readonly SdkType Boolean = new Scalar("boolean");
    public static readonly SdkType Any = new Scalar("any");
    public static readonly SdkType Asset = new Scalar("pulumi.asset.Asset");
    public static readonly SdkType Archive = new Scalar("pulumi.asset.Archive");

    /// <summary>string, number, boolean, any, or an asset/archive: compared by reference to the instances above.</summary>
    public sealed record Scalar(string Name) : SdkType
    {
        public override string ToString() => Name;
    }

    /// <summary>A string literal type (<c>"apps/v1"</c>): only that string is allowed.</summary>
    public sealed record Literal(string Value) : SdkType
    {
        public override string ToString() => $"\"{Value}\"";
    }

    /// <summary>A string enum of the SDK (<c>enums.core.v1.ServiceSpecType</c>); always declared beside <c>string</c>.</summary>
    public sealed record Enum(string Name) : SdkType
    {
        public override string ToString() => $"enums.{Name}";
    }

    public sealed record ListOf(SdkType Element) : SdkType
    {
        public override string ToString() => Element is OneOf ? $"({Element})[]" : $"{Element}[]";
    }

    /// <summary><c>{[key: string]: T}</c>.</summary>
    public sealed record MapOf(SdkType Value) : SdkType
    {
        public override string ToString() => $"{{[key: string]: {Value}}}";
    }

    /// <summary>A nested input interface of the package's <c>types/input.d.ts</c>, by namespaced name (<c>core.v1.PodSpec</c>).</summary>
    public sealed record InputRef(string Name) : SdkType
    {
        public override string ToString() => Name;
    }

    /// <summary>An object type written inline in the declaration.</summary>
    public sealed record Shape(SdkInterface Interface) : SdkType
    {
        public override string ToString() => "{...}";
    }

    public sealed record OneOf(IReadOnlyList<SdkType> Members) : SdkType
    {
        // members compared in order, as declared, so two reads of one declaration are equal
        public bool Equals(OneOf? other) => other is not null && Members.SequenceEqual(other.Members);

        public override int GetHashCode() => Members.Aggregate(0, (h, m) => HashCode.Combine(h, m));

        public override string ToString() => string.Join(" | ", Members);
    }

    /// <summary>A declaration this reader does not model: checking a value against it is reported, never passed.</summary>
    public sealed record Unsupported(string Text) : SdkType
    {
        public override string ToString() => Text;
    }
}
