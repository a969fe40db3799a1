using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MeshStack.Config.Yaml;

/// <summary>
/// Reads one YAML document from the parser's event stream without recursion, enforcing <see cref="InputLimits"/> as it
/// goes: nesting depth (checked before a level is entered, so 100,000 nested brackets cost one error, not a stack
/// overflow), alias expansion (an alias counts every value it repeats; an alias inside its own anchor is a cycle),
/// key and value length, one document only, scalar keys only, no duplicate keys and no unknown tags.
/// </summary>
public static class BoundedYamlReader
{
    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    /// <returns>The document's root, or null for an empty stream.</returns>
    public static YamlValue? Read(string text)
    {
        var parser = new Parser(new StringReader(text));
        var last = Mark.Empty;
        var openFlows = new Stack<Mark>();
        try
        {
            Expect<StreamStart>(parser, ref last);
            if (Next(parser, ref last) is StreamEnd) return null;
            if (parser.Current is not DocumentStart) throw new YamlInputException(last, "expected a YAML document");
            var root = ReadNode(parser, ref last, openFlows);
            Expect<DocumentEnd>(parser, ref last);
            if (Next(parser, ref last) is DocumentStart)
                throw new YamlInputException(last, "a second YAML document: a stack file is one document; remove this '---' and what follows, or merge it into the first");
            return root;
        }
        catch (YamlException e)
        {
            var at = e.Start.Line > 0 ? e.Start : last;
            // YamlDotNet places a tab error at the start of the enclosing mapping; the tab itself is what to fix
            if (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstIndentingTab(text) is { } tab)
                throw new YamlInputException(tab, "is not valid YAML: a tab in the indentation; YAML indents with spaces only");
            // an unclosed bracket is found where the document ends; where it opens is what to fix
            if (e.Message.Contains("flow", StringComparison.OrdinalIgnoreCase) && openFlows.TryPeek(out var open))
                throw new YamlInputException(open, $"is not valid YAML: the [ or {{ here is never closed ({Describe(e)})");
            throw new YamlInputException(at, $"is not valid YAML: {Describe(e)}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet's scanner throws these on some malformed input (e.g. an unclosed flow sequence): still a syntax error
            throw new YamlInputException(openFlows.TryPeek(out var open) ? open : last,
                "is not valid YAML: the document ends inside an unclosed [ ], { } or quote that starts at or after this point");
        }
    }

    private static Mark? FirstIndentingTab(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0) return new Mark(0, i + 1, tab + 1);
        }
        return null;
    }

    private static string Describe(YamlException e)
    {
        // YamlDotNet prefixes its messages with the position, which the caller prints already
        var message = e.Message;
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && close > 0 ? message[(close + 3)..] : message;
    }

    private static ParsingEvent? Next(IParser parser, ref Mark last)
    {
        if (!parser.MoveNext()) return null;
        last = parser.Current!.Start;
        return parser.Current;
    }

    private static void Expect<T>(IParser parser, ref Mark last) where T : ParsingEvent
    {
        if (Next(parser, ref last) is not T) throw new YamlInputException(last, $"expected {typeof(T).Name}");
    }

    private sealed class Frame(NodeEvent start, int size)
    {
        public NodeEvent Start { get; } = start;
        public List<KeyValuePair<YamlScalarValue, YamlValue>>? Entries { get; } = start is MappingStart ? [] : null;
        public List<YamlValue>? Items { get; } = start is SequenceStart ? [] : null;
        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
        public YamlScalarValue? PendingKey { get; set; }
        public int Size { get; set; } = size;
    }

    private static YamlValue ReadNode(IParser parser, ref Mark last, Stack<Mark> openFlows)
    {
        var anchors = new Dictionary<string, (YamlValue? Value, int Size)>(StringComparer.Ordinal);
        var frames = new Stack<Frame>();
        var total = 0;
        while (true)
        {
            var e = Next(parser, ref last) ?? throw new YamlInputException(last, "the document ends early");
            YamlValue value;
            int size;
            switch (e)
            {
                case MappingStart or SequenceStart:
                {
                    var start = (NodeEvent)e;
                    if (frames.TryPeek(out var parent) && parent.Entries is not null && parent.PendingKey is null)
                        throw new YamlInputException(e.Start, $"a key must be a plain name, not a {(e is MappingStart ? "mapping" : "list")}");
                    if (frames.Count >= InputLimits.Depth)
                        throw new YamlInputException(e.Start, $"nested more than {InputLimits.Depth} levels deep (limit); a stack file needs far fewer");
                    CheckTag(start.Tag, e is MappingStart ? "map" : "seq", e.Start);
                    if (!start.Anchor.IsEmpty) anchors[start.Anchor.Value] = (null, 0);
                    if (start is MappingStart { Style: MappingStyle.Flow } or SequenceStart { Style: SequenceStyle.Flow }) openFlows.Push(e.Start);
                    frames.Push(new Frame(start, 1));
                    continue;
                }
                case MappingEnd or SequenceEnd:
                {
                    var frame = frames.Pop();
                    if (frame.Start is MappingStart { Style: MappingStyle.Flow } or SequenceStart { Style: SequenceStyle.Flow }) openFlows.Pop();
                    value = frame.Entries is not null ? new YamlMapValue(frame.Entries, frame.Start.Start) : new YamlListValue(frame.Items!, frame.Start.Start);
                    size = frame.Size;
                    if (!frame.Start.Anchor.IsEmpty) anchors[frame.Start.Anchor.Value] = (value, size);
                    total -= size - 1; // its values are counted already; below it counts as one value of its parent
                    break;
                }
                case Scalar s:
                {
                    var isKey = frames.TryPeek(out var parent) && parent.Entries is not null && parent.PendingKey is null;
                    var limit = isKey ? InputLimits.KeyLength : InputLimits.ValueLength;
                    if (s.Value.Length > limit && !(parent?.PendingKey?.Text == "secure"))
                        throw new YamlInputException(e.Start, $"a {(isKey ? "key" : "value")} of {s.Value.Length} characters; the limit is {limit}");
                    var tag = CheckTag(s.Tag, "str", e.Start);
                    value = new YamlScalarValue(s.Value, s.Style, tag, e.Start);
                    size = 1;
                    if (!s.Anchor.IsEmpty) anchors[s.Anchor.Value] = (value, size);
                    break;
                }
                case AnchorAlias a:
                {
                    if (!anchors.TryGetValue(a.Value.Value, out var anchored))
                        throw new YamlInputException(e.Start, $"alias *{a.Value.Value} has no anchor &{a.Value.Value} before it");
                    if (anchored.Value is null)
                        throw new YamlInputException(e.Start, $"alias *{a.Value.Value} is inside the value it names (a cycle)");
                    if (frames.TryPeek(out var parent) && parent.Entries is not null && parent.PendingKey is null && anchored.Value is not YamlScalarValue)
                        throw new YamlInputException(e.Start, "a key must be a plain name, not a list or mapping");
                    (value, size) = (anchored.Value, anchored.Size);
                    break;
                }
                default:
                    throw new YamlInputException(e.Start, $"unexpected {e.GetType().Name}");
            }

            total += size;
            if (total > InputLimits.Values)
                throw new YamlInputException(e.Start, $"the document expands to more than {InputLimits.Values} values (limit; aliases count every value they repeat)");
            if (!frames.TryPeek(out var top)) return value;
            top.Size += size;
            if (top.Items is not null) top.Items.Add(value);
            else if (top.PendingKey is null)
            {
                var key = (YamlScalarValue)value;
                if (!top.Keys.Add(key.Text)) throw new YamlInputException(key.Start, $"duplicate key '{Excerpt.Of(key.Text)}'; each key may appear once in a mapping");
                top.PendingKey = key;
            }
            else
            {
                top.Entries!.Add(new(top.PendingKey, value));
                top.PendingKey = null;
            }
        }
    }

    /// <summary>Only the YAML core tags are meaningful in a stack file; anything else (e.g. <c>!secret</c>) would be silently dropped by Pulumi.</summary>
    private static string? CheckTag(TagName tag, string expectedKind, Mark at)
    {
        if (tag.IsEmpty || tag.IsNonSpecific) return null;
        var name = tag.Value;
        if (name.StartsWith(CoreTagPrefix, StringComparison.Ordinal))
        {
            var kind = name[CoreTagPrefix.Length..];
            var fits = expectedKind == "str" ? kind is "str" or "int" or "float" or "bool" or "null" : kind == expectedKind;
            if (fits) return kind;
            throw new YamlInputException(at, $"tag !!{kind} is not supported here: stack config takes strings, numbers, booleans, lists and mappings");
        }
        throw new YamlInputException(at, $"tag {name} is not supported: a stack file holds plain values; for a secret run `pulumi config set --secret <key> <value>`, which stores it as secure: ...");
    }
}
