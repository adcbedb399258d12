namespace DnsblServer.Zones.Files;

/// <summary>
/// Thrown by a <see cref="LineParser"/> for a line on which rbldnsd stops loading the whole dataset (its line
/// function fails). <see cref="ZoneFileReader.ReadFile"/> turns it into the load error, naming file and line,
/// with <see cref="Exception.Message"/> as the reason. A rare path: bad data is normally a warning.
/// </summary>
public sealed class LoadAbortedException(string reason) : IOException(reason);
