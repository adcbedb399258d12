using System.Diagnostics.CodeAnalysis;
using System.Text;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Datasets.Overlay;

/// <summary>Parses the value of a pushed entry with the zone-file value syntax (<c>:A:TXT</c>, <c>:A</c>, bare TXT).</summary>
public static class OverlayValue
{
    /// <summary>
    /// Parses <paramref name="text"/>; null or empty gives rbldnsd's built-in default (127.0.0.2, no TXT).
    /// The dataset's own default value and <c>$n</c> variables are not known here, so TXT is taken as written
    /// (<c>$</c> still becomes the queried address when answering). The text goes in as UTF-8: the bytes a zone-file
    /// line (or the journal, which is UTF-8) would give, so <c>café</c> is served as it would be from a file.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out DnsblValue? value, [NotNullWhen(false)] out string? error)
    {
        var context = new DatasetLoadContext(LoadOptions.Default);
        var table = new ValueTable();
        int id = string.IsNullOrWhiteSpace(text)
            ? table.Intern(RawValue.BuiltInDefault)
            : ValueParser.ParseExplicit(Encoding.UTF8.GetBytes(text.Trim()), RawValue.BuiltInDefault, table, context);
        if (id < 0 || context.WarningCount > 0)
        {
            value = null;
            error = context.Warnings.Count > 0 ? context.Warnings[0].Message : "invalid value";
            return false;
        }
        value = table.Expand(context)[id];
        error = null;
        return true;
    }
}
