namespace DnsblServer.Zones.Values;

/// <summary>
/// rbldnsd's TXT substitution (txtsubst in rbldnsd_util.c), split in two: everything that depends
/// only on the dataset (<c>$0</c>..<c>$9</c> variables, the <c>$=</c> base template, <c>$$</c>) is
/// expanded once at load; only the address is inserted per query. The expanded template marks
/// the address with a 0 byte: rbldnsd reads C strings, so a text ends at its first NUL byte (the
/// reader cuts file lines there, and <see cref="Expand"/> cuts pushed texts) and none can be mistaken for the mark.
/// </summary>
public static class TxtTemplate
{
    /// <summary>Where the per-query substitution goes in an expanded template.</summary>
    public const byte SubstitutionMark = 0;

    /// <summary>rbldnsd caps a rendered TXT string at 254 bytes.</summary>
    public const int MaxLength = 254;

    /// <summary>
    /// Expands an entry's raw TXT text against the dataset's variables and base template,
    /// with rbldnsd's rules: text starting with <c>=</c> bypasses the base template; with a
    /// non-empty base template, <c>$=</c> is the entry text (or the address when the entry has
    /// none); <c>$n</c> is variable n, or literally <c>$n</c> when it is not defined; <c>$$</c> is
    /// <c>$</c>; a <c>$</c> before anything else is the address.
    /// </summary>
    /// <returns>The expanded template, or null when it would render empty (no TXT record).</returns>
    public static byte[]? Expand(ReadOnlySpan<byte> raw, IReadOnlyList<byte[]?> variables, ReadOnlySpan<byte> baseTemplate)
    {
        int nul = raw.IndexOf((byte)0);
        if (nul >= 0) raw = raw[..nul]; // rbldnsd serves "nul" for "nul\0inside $", never the address
        ReadOnlySpan<byte> text;
        ReadOnlySpan<byte> self;          // what "$=" inserts
        bool selfIsAddress = false;
        if (raw.Length > 0 && raw[0] == '=')
        {
            text = raw[1..];
            self = text;
        }
        else if (baseTemplate.Length > 0)
        {
            self = raw;
            selfIsAddress = raw.Length == 0;
            text = baseTemplate;
        }
        else
        {
            text = raw;
            self = raw;
        }

        var output = new List<byte>(text.Length + 16);
        int literal = 0;                  // literal bytes so far; past 254 nothing more can show
        void Add(ReadOnlySpan<byte> bytes)
        {
            foreach (byte b in bytes) { output.Add(b); literal++; }
        }

        int i = 0;
        while (i < text.Length && literal < MaxLength)
        {
            byte c = text[i++];
            if (c != '$') { output.Add(c); literal++; continue; }
            if (i < text.Length && text[i] == '$') { output.Add((byte)'$'); literal++; i++; }
            else if (i < text.Length && (uint)(text[i] - '0') <= 9)
            {
                byte[]? value = variables[text[i] - '0'];
                if (value is null) Add(text.Slice(i - 1, 2));
                else Add(value);
                i++;
            }
            else if (i < text.Length && text[i] == '=')
            {
                if (selfIsAddress) output.Add(SubstitutionMark);
                else Add(self);
                i++;
            }
            else
            {
                output.Add(SubstitutionMark); // the character after '$' is kept as literal text
            }
        }
        if (output.Count == 0) return null;
        if (literal > MaxLength) TrimLiterals(output);
        return output.ToArray();
    }

    /// <summary>Inserts <paramref name="substitution"/> at each mark, capped at <see cref="MaxLength"/> bytes.</summary>
    /// <returns>The rendered length.</returns>
    public static int Render(ReadOnlySpan<byte> template, ReadOnlySpan<byte> substitution, Span<byte> destination)
    {
        int n = 0;
        int start = 0;
        while (n < MaxLength)
        {
            int mark = template[start..].IndexOf(SubstitutionMark);
            ReadOnlySpan<byte> piece = mark < 0 ? template[start..] : template.Slice(start, mark);
            n += CopyCapped(piece, destination, n);
            if (mark < 0) break;
            n += CopyCapped(substitution, destination, n);
            start += mark + 1;
        }
        return n;
    }

    private static int CopyCapped(ReadOnlySpan<byte> source, Span<byte> destination, int at)
    {
        int count = Math.Min(source.Length, MaxLength - at);
        source[..count].CopyTo(destination[at..]);
        return count;
    }

    // Keeps the first 254 literal bytes (and the marks among them): the rest can never be rendered.
    private static void TrimLiterals(List<byte> output)
    {
        int literal = 0;
        for (int i = 0; i < output.Count; i++)
        {
            if (output[i] != SubstitutionMark && ++literal > MaxLength)
            {
                output.RemoveRange(i, output.Count - i);
                return;
            }
        }
    }
}
