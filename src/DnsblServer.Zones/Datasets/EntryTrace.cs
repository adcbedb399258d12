namespace DnsblServer.Zones.Datasets;

/// <summary>
/// One entry as read from a file, reported while loading with a tracer (the <c>explain</c> verb):
/// where it is, what it covers, and its value.
/// </summary>
/// <param name="File">The file, as named in the spec.</param>
/// <param name="Line">The line number.</param>
/// <param name="Text">The line as written.</param>
/// <param name="First">First address it covers (IPv4, host order).</param>
/// <param name="Last">Last address it covers.</param>
/// <param name="Value">The entry's value as written (before TXT expansion); null for an exclusion or an exempt-list entry.</param>
public readonly record struct EntryTrace(string File, int Line, string Text, uint First, uint Last, Values.RawValue? Value);
