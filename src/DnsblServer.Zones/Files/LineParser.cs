namespace DnsblServer.Zones.Files;

/// <summary>Receives the data lines of a dataset's files (specials, comments and blanks are handled by the reader).</summary>
public abstract class LineParser
{
    /// <summary>Called before each file of the dataset (rbldnsd resets per-file state such as the default value).</summary>
    public virtual void StartFile(DatasetLoadContext context) { }

    /// <summary>One data line: trimmed, not empty, not a comment, not a special.</summary>
    public abstract void ParseLine(ReadOnlySpan<byte> line, DatasetLoadContext context);

    /// <summary>One special line (the text after <c>$</c>, <c>#$</c>, <c>;$</c> or <c>:$</c>); by default the
    /// common specials of <see cref="SpecialLine"/>. A container type (combined) routes them itself.</summary>
    /// <returns>Null, or the reason the whole load must fail.</returns>
    public virtual LoadDiagnostic? ParseSpecial(ReadOnlySpan<byte> special, DatasetLoadContext context) =>
        SpecialLine.Parse(special, context);

    /// <summary>Builds the immutable dataset once every file is read.</summary>
    public abstract Datasets.Dataset Finish(IReadOnlyList<string> fileNames, DatasetLoadContext context);
}
