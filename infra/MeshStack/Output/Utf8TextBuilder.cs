using System.Text;

namespace MeshStack.Output;

/// <summary>
/// Text built as UTF-8 in pooled memory and made a string once, at the end: the YAML emitter's output. A
/// <see cref="StringBuilder"/> would allocate a chunk per 8,000 characters of a large program, besides the string.
/// </summary>
internal sealed class Utf8TextBuilder(int initialCapacity) : IDisposable
{
    private readonly PooledBufferWriter _bytes = new(initialCapacity);

    public Utf8TextBuilder Append(char ascii)
    {
        _bytes.GetSpan(1)[0] = (byte)ascii;
        _bytes.Advance(1);
        return this;
    }

    public Utf8TextBuilder Append(char ascii, int repeat)
    {
        _bytes.GetSpan(repeat)[..repeat].Fill((byte)ascii);
        _bytes.Advance(repeat);
        return this;
    }

    public Utf8TextBuilder Append(ReadOnlySpan<char> text)
    {
        var span = _bytes.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        _bytes.Advance(Encoding.UTF8.GetBytes(text, span));
        return this;
    }

    /// <summary>Bytes that are already UTF-8 (a JSON document's own).</summary>
    public Utf8TextBuilder AppendUtf8(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(_bytes.GetSpan(utf8.Length));
        _bytes.Advance(utf8.Length);
        return this;
    }

    public override string ToString() => Encoding.UTF8.GetString(_bytes.WrittenMemory.Span);

    public void Dispose() => _bytes.Dispose();
}
