using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Datasets.Dns;

/// <summary>
/// Domain names between zone-file text and wire form, the way rbldnsd converts them: a name is one
/// blank-delimited word (parse_dn), read by dns_ptodn (empty labels skipped, so <c>a..b.</c> is
/// <c>a.b</c>; <c>\X</c> and <c>\DDD</c> escapes; labels of at most 63 bytes, 255 bytes in all), and
/// printed back by dns_dntop (the <c>$</c> of a dnset TXT). Wire forms here carry no root byte.
/// </summary>
public static class DnsNameText
{
    /// <summary>Longest wire name, root byte included (DNS_MAXDN).</summary>
    public const int MaxWireLength = 255;

    /// <summary>Longest label.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>A destination this long always holds <see cref="Format"/>'s output (every byte escaped as <c>\DDD</c>).</summary>
    public const int MaxTextLength = 1024;

    /// <summary>
    /// Reads the word at <paramref name="pos"/> (up to the next blank) as a domain name, then skips the
    /// blanks after it (parse_dn). <paramref name="wire"/> needs <see cref="MaxWireLength"/> bytes.
    /// </summary>
    /// <returns>False for an empty word or a name dns_ptodn rejects; true otherwise, with the wire
    /// length (no root byte; 0 for the root, which the callers reject).</returns>
    public static bool TryReadWord(ReadOnlySpan<byte> line, ref int pos, Span<byte> wire, out int length)
    {
        int start = pos;
        while (pos < line.Length && !Syntax.IsSpace(line[pos])) pos++;
        ReadOnlySpan<byte> word = line[start..pos];
        pos = Syntax.SkipSpace(line, pos);
        length = 0;
        return !word.IsEmpty && TryParse(word, wire, out length);
    }

    /// <summary>
    /// Parses a name in text form into wire form without the root byte (dns_ptodn). Dots only separate:
    /// leading, doubled and trailing dots are ignored. A backslash quotes the next byte, or gives a byte as up
    /// to three decimal digits; a backslash at the very end is dropped.
    /// </summary>
    /// <returns>False when a label exceeds 63 bytes, the name exceeds 255 bytes, or a <c>\DDD</c> exceeds 255.</returns>
    public static bool TryParse(ReadOnlySpan<byte> text, Span<byte> wire, out int length)
    {
        // Same bounds as dns_ptodn: label bytes may fill wire[1..253]; the closing root byte makes at most 255.
        const int limit = MaxWireLength - 1;
        int d = 1;         // next byte to write (wire[0] is the first length byte)
        int label = 1;     // first byte of the current label
        length = 0;
        int i = 0;
        while (i < text.Length)
        {
            int c = text[i++];
            if (c == '.')
            {
                int l = d - label;
                if (l != 0)
                {
                    if (l > MaxLabelLength) return false;
                    wire[label - 1] = (byte)l;
                    label = ++d;
                }
                continue;
            }
            if (c == '\\')
            {
                if (i >= text.Length) break;
                c = text[i++];
                if (IsDigit(c))
                {
                    c -= '0';
                    if (i < text.Length && IsDigit(text[i]))
                    {
                        c = c * 10 + (text[i++] - '0');
                        if (i < text.Length && IsDigit(text[i]))
                        {
                            c = c * 10 + (text[i++] - '0');
                            if (c > 255) return false;
                        }
                    }
                }
            }
            if (d >= limit) return false;
            wire[d++] = (byte)c;
        }
        int last = d - label;
        if (last > MaxLabelLength) return false;
        wire[label - 1] = (byte)last;
        // A non-empty last label is followed by the root byte (not kept); an empty one is the root itself.
        length = last != 0 ? d : d - 1;
        return true;
    }

    /// <summary>Lowercases ASCII letters in place (dns_dntol; length bytes are below 64 and never letters).</summary>
    public static void ToLower(Span<byte> wire)
    {
        for (int i = 0; i < wire.Length; i++)
        {
            if ((uint)(wire[i] - 'A') <= 'Z' - 'A') wire[i] |= 0x20;
        }
    }

    /// <summary>
    /// Writes a wire name (no root byte) as text, as dns_dntop does: labels joined by dots; <c>"</c>,
    /// <c>.</c>, <c>;</c>, <c>\</c>, <c>@</c> and <c>$</c> escaped with a backslash; bytes up to space and
    /// from DEL up as <c>\DDD</c>; the empty name as <c>.</c>. <paramref name="destination"/> should hold
    /// <see cref="MaxTextLength"/> bytes; shorter ones get a cut text.
    /// </summary>
    /// <returns>The text length.</returns>
    public static int Format(ReadOnlySpan<byte> wire, Span<byte> destination)
    {
        if (wire.IsEmpty)
        {
            if (destination.IsEmpty) return 0;
            destination[0] = (byte)'.';
            return 1;
        }
        int n = 0;
        int pos = 0;
        while (pos < wire.Length)
        {
            int len = wire[pos++];
            if (pos > 1 && !Put((byte)'.', destination, ref n)) return n;
            for (int end = Math.Min(pos + len, wire.Length); pos < end; pos++)
            {
                byte c = wire[pos];
                bool ok = c switch
                {
                    (byte)'"' or (byte)'.' or (byte)';' or (byte)'\\' or (byte)'@' or (byte)'$' =>
                        Put((byte)'\\', destination, ref n) && Put(c, destination, ref n),
                    <= 0x20 or >= 0x7f =>
                        Put((byte)'\\', destination, ref n) && Put((byte)('0' + c / 100), destination, ref n) &&
                        Put((byte)('0' + c / 10 % 10), destination, ref n) && Put((byte)('0' + c % 10), destination, ref n),
                    _ => Put(c, destination, ref n),
                };
                if (!ok) return n;
            }
        }
        return n;
    }

    /// <summary>Number of labels of a wire name (no root byte).</summary>
    public static int CountLabels(ReadOnlySpan<byte> wire)
    {
        int count = 0;
        for (int pos = 0; pos < wire.Length; pos += wire[pos] + 1) count++;
        return count;
    }

    private static bool Put(byte c, Span<byte> destination, ref int n)
    {
        if (n >= destination.Length) return false;
        destination[n++] = c;
        return true;
    }

    private static bool IsDigit(int c) => (uint)(c - '0') <= 9;
}
