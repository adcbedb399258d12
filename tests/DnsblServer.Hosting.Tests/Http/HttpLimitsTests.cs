using DnsblServer.Hosting.Http;

namespace DnsblServer.Hosting.Tests.Http;

/// <summary>The HTTP connection caps as the descriptor limit grows, and the limit read from the process.</summary>
public sealed class HttpLimitsTests
{
    [Theory]
    [InlineData(64, 4, 2)]
    [InlineData(256, 4, 2)]
    [InlineData(1024, 48, 12)]
    [InlineData(4096, 240, 32)]
    [InlineData(524288, 256, 32)]
    [InlineData(long.MaxValue, 256, 32)]
    public void CapsFollowTheDescriptorLimit(long limit, long metrics, long admin)
    {
        Assert.Equal(metrics, HttpLimits.MetricsConnections(limit));
        Assert.Equal(admin, HttpLimits.AdminConnections(limit));
    }

    [Fact]
    public void TheLimitIsReadFromTheProcess()
    {
        if (!OperatingSystem.IsLinux()) return;
        string line = File.ReadLines("/proc/self/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        string soft = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        Assert.Equal(soft == "unlimited" ? long.MaxValue : long.Parse(soft, System.Globalization.CultureInfo.InvariantCulture), DescriptorLimit.Current());
    }
}
