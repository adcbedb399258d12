namespace DnsblServer.Hosting.Serve;

/// <summary>A reload was not started: the load running now has passed <c>Dnsbl:LoadTimeout</c> (a hung read) and still holds the load gate.</summary>
public sealed class LoadStalledException(string dataset, DateTimeOffset since, TimeSpan stalledFor)
    : Exception($"a load is still running (stalled {stalledFor.TotalSeconds:0} s, reading {dataset} since {since:yyyy-MM-ddTHH:mm:ssZ})")
{
    /// <summary>The dataset the stalled load is reading.</summary>
    public string Dataset { get; } = dataset;
}
