namespace MeshStack.Tests.EngineContract.Typing;

/// <summary>Tokens of a TypeScript declaration file (<c>.d.ts</c>), comments dropped.</summary>
internal static class DeclarationLexer
{
    public enum Kind { Name, Text, Number, Symbol }

    public readonly record struct Token(Kind Kind, string Value, int Line)
    {
        public bool Is(string symbolOrName) => Kind is Kind.Symbol or Kind.Name && Value == symbolOrName;

        public override string ToString() => Kind == Kind.Text ? $"\"{Value}\"" : Value;
    }

    public static List<Token> Read(string source)
    {
        var tokens = new List<Token>(source.Length / 6);
        var line = 1;
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (c == '\n') { line++; i++; continue; }
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '/' && At(source, i + 1) == '/')
            {
                while (i < source.Length && source[i] != '\n') i++;
                continue;
            }
            if (c == '/' && At(source, i + 1) == '*')
            {
                var end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? source.Length : end + 2;
                for (var k = i; k < end; k++) if (source[k] == '\n') line++;
                i = end;
                continue;
            }
            if (c is '"' or '\'')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (i < source.Length && source[i] != c)
                {
                    if (source[i] == '\\' && i + 1 < source.Length) i++;
                    sb.Append(source[i++]);
                }
                i++;
                tokens.Add(new Token(Kind.Text, sb.ToString(), line));
                continue;
            }
            if (char.IsLetter(c) || c is '_' or '$')
            {
                var start = i;
                while (i < source.Length && (char.IsLetterOrDigit(source[i]) || source[i] is '_' or '$')) i++;
                tokens.Add(new Token(Kind.Name, source[start..i], line));
                continue;
            }
            if (char.IsDigit(c))
            {
                var start = i;
                while (i < source.Length && (char.IsLetterOrDigit(source[i]) || source[i] == '.')) i++;
                tokens.Add(new Token(Kind.Number, source[start..i], line));
                continue;
            }
            if (c == '=' && At(source, i + 1) == '>')
            {
                tokens.Add(new Token(Kind.Symbol, "=>", line));
                i += 2;
                continue;
            }
            // one character each, so '>>' closing two generics is two tokens
            tokens.Add(new Token(Kind.Symbol, c.ToString(), line));
            i++;
        }
        return tokens;
    }

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';
}
