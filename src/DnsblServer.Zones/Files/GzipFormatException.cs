namespace DnsblServer.Zones.Files;

/// <summary>A gzip file that is truncated, corrupt or fails its CRC: the load fails with this message, naming the file.</summary>
public sealed class GzipFormatException(string message) : IOException(message);
