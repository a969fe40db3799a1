using static MeshStack.Tests.EngineContract.Typing.DeclarationLexer;

namespace MeshStack.Tests.EngineContract.Typing;

/// <summary>
/// Reads the interfaces of a generated Pulumi SDK declaration file: <c>namespace</c> nesting gives the qualified
/// name (<c>core.v1.PodSpec</c>), each <c>name?: type;</c> member a property. Classes, functions, constants and
/// imports are skipped whole; a type form it does not model becomes <see cref="SdkType.Unsupported"/>.
/// </summary>
internal sealed class DeclarationParser
{
    private static readonly SdkType Undefined = new SdkType.Scalar("undefined");

    private readonly List<Token> _tokens;
    private readonly string _file;
    private int _at;

    private DeclarationParser(List<Token> tokens, string file)
    {
        _tokens = tokens;
        _file = file;
    }

    /// <summary>Every interface of the file by qualified name.</summary>
    public static IReadOnlyDictionary<string, SdkInterface> Interfaces(string source, string file)
    {
        var parser = new DeclarationParser(DeclarationLexer.Read(source), file);
        var found = new Dictionary<string, SdkInterface>(StringComparer.Ordinal);
        parser.Statements("", found, nested: false);
        return found;
    }

    private Token Peek(int ahead = 0) =>
        _at + ahead < _tokens.Count ? _tokens[_at + ahead] : new Token(Kind.Symbol, "<end>", _tokens.Count == 0 ? 0 : _tokens[^1].Line);

    private bool AtEnd => _at >= _tokens.Count;

    private Token Next() => _tokens[_at++];

    private void Expect(string symbol)
    {
        if (!Peek().Is(symbol))
            throw new FormatException($"{_file}:{Peek().Line}: expected '{symbol}', found '{Peek()}'");
        _at++;
    }

    private void Statements(string prefix, Dictionary<string, SdkInterface> found, bool nested)
    {
        while (!AtEnd)
        {
            var token = Peek();
            if (token.Is("}"))
            {
                if (!nested) throw new FormatException($"{_file}:{token.Line}: unbalanced '}}'");
                _at++;
                return;
            }
            switch (token.Value)
            {
                case "export" or "declare" when token.Kind == Kind.Name:
                    _at++;
                    break;
                case "namespace" or "module" when token.Kind == Kind.Name:
                    _at++;
                    var ns = QualifiedName();
                    Expect("{");
                    Statements(Qualify(prefix, ns), found, nested: true);
                    break;
                case "interface" when token.Kind == Kind.Name:
                    _at++;
                    var name = Qualify(prefix, Next().Value);
                    while (!Peek().Is("{")) _at++; // generic parameters, extends clause
                    found[name] = new SdkInterface(name, Members());
                    break;
                case "class" or "enum" when token.Kind == Kind.Name:
                    while (!Peek().Is("{")) _at++;
                    SkipBalanced();
                    break;
                default:
                    SkipStatement();
                    break;
            }
        }
        if (nested) throw new FormatException($"{_file}: namespace not closed");
    }

    private static string Qualify(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    private string QualifiedName()
    {
        var name = Next().Value;
        while (Peek().Is("."))
        {
            _at++;
            name += "." + Next().Value;
        }
        return name;
    }

    /// <summary>From '{' to its '}', both consumed: the members of an interface or object type.</summary>
    private List<SdkProperty> Members()
    {
        Expect("{");
        var members = new List<SdkProperty>();
        while (!Peek().Is("}"))
        {
            if (Peek().Is("readonly") && Peek(1).Kind is Kind.Name or Kind.Text) _at++;
            if (Peek().Is("["))
            {
                SkipMember(); // an index signature inside a named interface: none of the input types has one
                continue;
            }
            var name = Next().Value;
            var optional = Peek().Is("?");
            if (optional) _at++;
            if (!Peek().Is(":"))
            {
                SkipMember(); // a method signature
                continue;
            }
            _at++;
            members.Add(new SdkProperty(name, Type(), !optional));
            if (Peek().Is(";") || Peek().Is(",")) _at++;
        }
        _at++;
        return members;
    }

    private SdkType Type()
    {
        if (Peek().Is("|")) _at++;
        var members = new List<SdkType> { Postfix() };
        while (Peek().Is("|"))
        {
            _at++;
            members.Add(Postfix());
        }
        if (Peek().Is("&"))
        {
            _at++;
            Type();
            return new SdkType.Unsupported("an intersection type");
        }
        var defined = members.Where(m => !ReferenceEquals(m, Undefined)).ToList();
        return defined.Count switch
        {
            0 => Undefined,
            1 => defined[0],
            _ => new SdkType.OneOf(defined),
        };
    }

    private SdkType Postfix()
    {
        var type = Primary();
        while (Peek().Is("[") && Peek(1).Is("]"))
        {
            _at += 2;
            type = new SdkType.ListOf(type);
        }
        return type;
    }

    private SdkType Primary()
    {
        var token = Peek();
        if (token.Is("("))
        {
            if (IsFunctionType())
            {
                SkipBalanced();
                Expect("=>");
                Type();
                return new SdkType.Unsupported("a function type");
            }
            _at++;
            var inner = Type();
            Expect(")");
            return inner;
        }
        if (token.Is("{")) return ObjectType();
        if (token.Kind == Kind.Text)
        {
            _at++;
            return new SdkType.Literal(token.Value);
        }
        if (token.Kind != Kind.Name)
            throw new FormatException($"{_file}:{token.Line}: unexpected '{token}' in a type");
        var name = QualifiedName();
        var arguments = new List<SdkType>();
        if (Peek().Is("<"))
        {
            _at++;
            arguments.Add(Type());
            while (Peek().Is(","))
            {
                _at++;
                arguments.Add(Type());
            }
            Expect(">");
        }
        return Named(name, arguments);
    }

    /// <summary>What a named type means to a Pulumi YAML value.</summary>
    private static SdkType Named(string name, List<SdkType> arguments) => (name, arguments.Count) switch
    {
        ("string", 0) or ("pulumi.ID", 0) or ("pulumi.URN", 0) => SdkType.String,
        ("number", 0) => SdkType.Number,
        ("boolean", 0) => SdkType.Boolean,
        ("any", 0) or ("unknown", 0) => SdkType.Any,
        ("undefined", 0) or ("null", 0) => Undefined,
        // YAML has no distinction between a value and an input of it
        ("pulumi.Input", 1) or ("pulumi.Output", 1) => arguments[0],
        ("pulumi.Inputs", 0) => new SdkType.MapOf(SdkType.Any),
        ("pulumi.asset.Asset", 0) => SdkType.Asset,
        ("pulumi.asset.Archive", 0) => SdkType.Archive,
        ("Record", 2) => new SdkType.MapOf(arguments[1]),
        ("Array", 1) => new SdkType.ListOf(arguments[0]),
        _ when arguments.Count == 0 && name.StartsWith("inputs.", StringComparison.Ordinal) => new SdkType.InputRef(name["inputs.".Length..]),
        _ when arguments.Count == 0 && name.StartsWith("enums.", StringComparison.Ordinal) => new SdkType.Enum(name["enums.".Length..]),
        _ => new SdkType.Unsupported(arguments.Count == 0 ? name : $"{name}<{string.Join(", ", arguments)}>"),
    };

    /// <summary><c>{[key: string]: T}</c> is a map; any other object literal an inline shape.</summary>
    private SdkType ObjectType()
    {
        if (Peek(1).Is("[") && Peek(2).Kind == Kind.Name && Peek(3).Is(":"))
        {
            _at += 4;
            var key = Type();
            Expect("]");
            Expect(":");
            var value = Type();
            if (Peek().Is(";") || Peek().Is(",")) _at++;
            Expect("}");
            return key == SdkType.String ? new SdkType.MapOf(value) : new SdkType.Unsupported($"a map keyed by {key}");
        }
        return new SdkType.Shape(new SdkInterface("{...}", Members()));
    }

    private bool IsFunctionType() =>
        Peek(1).Is(")") || (Peek(1).Kind == Kind.Name && (Peek(2).Is(":") || Peek(2).Is("?") || Peek(2).Is(","))) || Peek(1).Is(".");

    /// <summary>From an opening bracket to its match, inclusive.</summary>
    private void SkipBalanced()
    {
        var depth = 0;
        do
        {
            var t = Next();
            if (t.Is("{") || t.Is("(") || t.Is("[")) depth++;
            else if (t.Is("}") || t.Is(")") || t.Is("]")) depth--;
        }
        while (depth > 0 && !AtEnd);
    }

    /// <summary>To the ';' ending a statement (consumed), or just before a '}' closing the enclosing block.</summary>
    private void SkipStatement()
    {
        var depth = 0;
        while (!AtEnd)
        {
            var t = Peek();
            if (depth == 0 && t.Is("}")) return;
            _at++;
            if (t.Is("{") || t.Is("(") || t.Is("[")) depth++;
            else if (t.Is("}") || t.Is(")") || t.Is("]")) depth--;
            else if (depth == 0 && t.Is(";")) return;
        }
    }

    private void SkipMember() => SkipStatement();
}
