namespace DnsblServer.Zones.Files;

/// <summary>
/// Reads rbldnsd-format files line by line (readdslines in rbldnsd_zones.c): gzip is detected
/// by its magic bytes, blanks are trimmed, <c>#</c>/<c>;</c> lines skipped, specials
/// (<c>$X</c>, <c>#$X</c>, <c>;$X</c>, <c>:$X</c>) handed to <see cref="SpecialLine"/>, and every
/// other line given to the dataset's <see cref="LineParser"/>. Works on bytes: zone files are not
/// necessarily UTF-8, and TXT texts are passed through byte for byte.
/// </summary>
public static class ZoneFileReader
{
    /// <summary>rbldnsd truncates longer lines (half its 64 KiB read buffer).</summary>
    public const int MaxLineLength = 32 * 1024;

    private const int BufferSize = 1 << 20;

    /// <summary>
    /// Reads one file of a dataset into <paramref name="parser"/>.
    /// </summary>
    /// <returns>Null on success, or the reason the whole load must fail (unreadable file, not a
    /// regular file, truncated or corrupt gzip, compressed with -C, over the size or line caps,
    /// garbage (see README), file changed while read, <c>$TIMESTAMP</c> in the future).</returns>
    public static LoadDiagnostic? ReadFile(string file, DatasetLoadContext context, LineParser parser)
    {
        string path = context.Options.ResolvePath(file);
        context.File = file;
        context.Line = 0;
        // checked before open(2), which would block on a FIFO; a swap in between is caught by the stamps
        if (RegularFile.WhyNot(path) is { } what)
        {
            return new LoadDiagnostic(file, 0, $"is {what}, not a regular file: only regular files are loaded");
        }
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            var before = FileStamp.Read(path);
            long sizeBefore = stream.Length;
            // parsers reserve from this: a file past MaxFileBytes is refused once that much is read, so no more is reserved
            context.FileSize = context.Options.MaxFileBytes > 0 ? Math.Min(sizeBefore, context.Options.MaxFileBytes) : sizeBefore;
            parser.StartFile(context);
            var tally = new FileTally();
            LoadDiagnostic? failure = IsGzip(stream)
                ? context.Options.NoGzip
                    ? new LoadDiagnostic(file, 0, "file is compressed, decompression disabled")
                    : ReadLines(new GzipMemberStream(stream), context, parser, tally)
                : ReadLines(stream, context, parser, tally);
            failure ??= tally.Verdict(context);
            if (failure is not null) return failure;
            // the stamps follow symbolic links; the stream's length is that of the file opened
            if (before is not { } stamp || FileStamp.Read(path) != stamp || stamp.Size != sizeBefore)
            {
                return new LoadDiagnostic(file, 0, "file changed while it was read, load aborted (write a temporary file and rename it instead)");
            }
            context.AddFile(stamp);
            return null;
        }
        catch (GzipFormatException e)
        {
            return new LoadDiagnostic(file, 0, e.Message);
        }
        catch (LoadAbortedException e)
        {
            return new LoadDiagnostic(file, context.Line, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or NotSupportedException)
        {
            return new LoadDiagnostic(file, context.Line, $"unable to read file: {e.Message}");
        }
        finally
        {
            context.Line = 0;
        }
    }

    private static bool IsGzip(FileStream stream)
    {
        Span<byte> magic = stackalloc byte[2];
        int n = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static LoadDiagnostic? ReadLines(Stream stream, DatasetLoadContext context, LineParser parser, FileTally tally)
    {
        byte[] buffer = new byte[BufferSize];
        int filled = 0;
        bool skippingLongLine = false;
        while (true)
        {
            int read = stream.Read(buffer, filled, buffer.Length - filled);
            bool end = read == 0;
            filled += read;
            tally.Bytes += read;
            if (context.Options.MaxFileBytes > 0 && tally.Bytes > context.Options.MaxFileBytes)
            {
                return new LoadDiagnostic(context.File, 0, $"more than {context.Options.MaxFileBytes} bytes (decompressed), load aborted (setting MaxFileBytes)");
            }
            int start = 0;
            while (true)
            {
                int newline = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n');
                if (newline < 0)
                {
                    int pending = filled - start;
                    if (end)
                    {
                        if (pending > 0 && !skippingLongLine)
                        {
                            // rbldnsd warns, yet still serves the line (behaviour notes 2.1).
                            context.Line++;
                            context.Warn("incomplete last line");
                            var failure = HandleLine(buffer.AsSpan(start, Math.Min(pending, MaxLineLength)), context, parser, tally);
                            if (failure is not null) return failure;
                        }
                        return null;
                    }
                    if (pending >= MaxLineLength)
                    {
                        if (!skippingLongLine)
                        {
                            context.Line++;
                            context.Warn("long line (truncated)");
                            var failure = HandleLine(buffer.AsSpan(start, MaxLineLength), context, parser, tally);
                            if (failure is not null) return failure;
                        }
                        skippingLongLine = true;
                        start = filled;
                    }
                    break;
                }
                if (skippingLongLine)
                {
                    skippingLongLine = false;
                }
                else
                {
                    context.Line++;
                    var failure = HandleLine(buffer.AsSpan(start, Math.Min(newline, MaxLineLength)), context, parser, tally);
                    if (failure is not null) return failure;
                }
                start += newline + 1;
            }
            // keep the unfinished line at the front of the buffer
            int rest = filled - start;
            if (rest > 0 && start > 0) Buffer.BlockCopy(buffer, start, buffer, 0, rest);
            filled = rest;
        }
    }

    private static LoadDiagnostic? HandleLine(ReadOnlySpan<byte> line, DatasetLoadContext context, LineParser parser, FileTally tally)
    {
        if (context.Options.MaxFileLines > 0 && context.Line > context.Options.MaxFileLines)
        {
            return new LoadDiagnostic(context.File, context.Line, $"more than {context.Options.MaxFileLines} lines, load aborted (setting MaxFileLines)");
        }
        line = Syntax.Trim(line);
        // rbldnsd trims the line, then reads it as a C string: it ends at its first NUL byte, spaces
        // before the NUL kept ("after \0$" is TXT "after "; checked against rbldnsd 1.0pre)
        int nul = line.IndexOf((byte)0);
        if (nul >= 0)
        {
            line = line[..nul];
            if (++tally.LinesWithNul > FileTally.MaxLinesWithNul)
            {
                return new LoadDiagnostic(context.File, context.Line, $"binary data (NUL bytes on more than {FileTally.MaxLinesWithNul} lines), not a zone file");
            }
        }
        if (line.IsEmpty) return null;
        byte c = line[0];
        if (c == '$' || ((Syntax.IsComment(c) || c == ':') && line.Length > 1 && line[1] == '$'))
        {
            return parser.ParseSpecial(c == '$' ? line[1..] : line[2..], context);
        }
        if (Syntax.IsComment(c)) return null;
        int warnings = context.WarningCount;
        parser.ParseLine(line, context);
        tally.DataLines++;
        if (context.WarningCount != warnings) tally.RejectedLines++;
        return null;
    }
}
