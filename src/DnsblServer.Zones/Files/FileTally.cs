namespace DnsblServer.Zones.Files;

/// <summary>
/// What <see cref="ZoneFileReader"/> counted in one file, to tell a zone file from garbage (the rules
/// are in the README): a file whose data lines all gave a warning, or with NUL bytes on many lines,
/// fails the load instead of replacing good data with nothing.
/// </summary>
internal sealed class FileTally
{
    /// <summary>
    /// rbldnsd cuts a line at a NUL byte, and so do we, but no text zone file has them: 200 KB of
    /// random bytes has one on most of its ~800 lines. A few stray ones are tolerated as rbldnsd does.
    /// </summary>
    public const int MaxLinesWithNul = 8;

    /// <summary>
    /// The all-lines-rejected rule starts here: one or two mistyped lines are warnings and an empty
    /// dataset, as in rbldnsd (and short test files do that on purpose); five or more lines of which none
    /// is zone data is a wrong file (nginx's 404 page is 7 lines, a stray binary hundreds).
    /// </summary>
    public const int MinDataLines = 5;

    /// <summary>Bytes read (after decompression).</summary>
    public long Bytes;

    /// <summary>Lines handed to the dataset's parser (not blank, comment or special).</summary>
    public long DataLines;

    /// <summary>Data lines during which the parser warned (rejected, or accepted with a complaint).</summary>
    public long RejectedLines;

    /// <summary>Lines cut at a NUL byte.</summary>
    public int LinesWithNul;

    /// <summary>Null when the file looks like a zone file; otherwise why the load fails.</summary>
    public LoadDiagnostic? Verdict(DatasetLoadContext context) =>
        DataLines >= MinDataLines && RejectedLines == DataLines
            ? new LoadDiagnostic(context.File, 0, $"none of its {DataLines} data line(s) could be used (every one gave a warning): not a zone file for this dataset type?")
            : null;
}
