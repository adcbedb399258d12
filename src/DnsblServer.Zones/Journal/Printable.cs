using System.Text;

namespace DnsblServer.Zones.Journal;

/// <summary>Text from a file made safe for a log line: control characters (and undecodable bytes) escaped.</summary>
internal static class Printable
{
    /// <summary><paramref name="text"/> with every control character as <c>\xNN</c> (<c>\uNNNN</c> above 0xFF) and U+FFFD (a byte that was not UTF-8) as <c>\ufffd</c>.</summary>
    public static string Escape(string text)
    {
        if (!text.Any(NeedsEscape)) return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (!NeedsEscape(c)) escaped.Append(c);
            else if (c <= 0xFF) escaped.Append($"\\x{(int)c:x2}");
            else escaped.Append($"\\u{(int)c:x4}");
        }
        return escaped.ToString();
    }

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\uFFFD' or '\u2028' or '\u2029' or '\u202E';
}
