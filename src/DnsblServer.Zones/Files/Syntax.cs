namespace DnsblServer.Zones.Files;

/// <summary>Character classes of rbldnsd's zone syntax (ISSPACE, ISCOMMENT) and small span helpers.</summary>
public static class Syntax
{
    /// <summary>Blank: space or tab.</summary>
    public static bool IsSpace(byte c) => c == ' ' || c == '\t';

    /// <summary>Comment start: <c>#</c> or <c>;</c>.</summary>
    public static bool IsComment(byte c) => c == '#' || c == ';';

    /// <summary>Removes leading and trailing blanks.</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        int start = 0;
        while (start < s.Length && IsSpace(s[start])) start++;
        int end = s.Length;
        while (end > start && IsSpace(s[end - 1])) end--;
        return s[start..end];
    }

    /// <summary>Index of the first non-blank at or after <paramref name="pos"/>.</summary>
    public static int SkipSpace(ReadOnlySpan<byte> s, int pos)
    {
        while (pos < s.Length && IsSpace(s[pos])) pos++;
        return pos;
    }

    /// <summary>True when <paramref name="pos"/> is at the end, a blank or a comment: the end of an entry's key.</summary>
    public static bool IsKeyEnd(ReadOnlySpan<byte> s, int pos) =>
        pos >= s.Length || IsSpace(s[pos]) || IsComment(s[pos]);
}
