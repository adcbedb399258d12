using System.Globalization;
using System.Text;

namespace DnsblServer.Benchmarks.Reporting;

/// <summary>A Markdown table built row by row, printed with aligned columns (pastes into README.md as is).</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Adds a row; cells are formatted with the invariant culture.</summary>
    public void Add(params object?[] cells) =>
        _rows.Add([.. cells.Select(c => c switch
        {
            null => "-",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => c.ToString() ?? "",
        })]);

    /// <inheritdoc />
    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells) => text.Append("| ").AppendJoin(" | ", cells.Select((c, i) => c.PadRight(widths[i]))).Append(" |\n");
        Line(headers);
        text.Append('|').AppendJoin('|', widths.Select(w => new string('-', w + 2))).Append("|\n");
        foreach (var row in _rows) Line(row);
        return text.ToString();
    }

    /// <summary>Bytes as "12.3 MB" (10^6, as the targets are written).</summary>
    public static string Megabytes(long? bytes) => bytes is { } b ? (b / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " MB" : "-";
}
