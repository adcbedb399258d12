using DnsblServer.Hosting.Configuration;

namespace DnsblServer.Hosting.Tests;

/// <summary>Shared helpers: a minimal valid command line and success/failure assertions with readable messages.</summary>
internal static class TestArgs
{
    public const string Zone = "bl.example:ip4set:bl.txt";

    /// <summary>Parses <c>-b 127.0.0.1/5300 bl.example:ip4set:bl.txt</c> plus <paramref name="extra"/>.</summary>
    public static ServerSettings Ok(params string[] extra) => Parsed(["-b", "127.0.0.1/5300", .. extra, Zone]);

    public static ServerSettings Parsed(string[] args)
    {
        SettingsResult result = RbldnsdCommandLine.Parse(args);
        Assert.True(result.IsSuccess, $"[{string.Join(' ', args)}] failed: {string.Join(" | ", result.Errors)}");
        return result.Settings!;
    }

    /// <summary>Parses <paramref name="args"/>, expects failure, returns all errors joined by newlines.</summary>
    public static string Errors(params string[] args)
    {
        SettingsResult result = RbldnsdCommandLine.Parse(args);
        Assert.False(result.IsSuccess, $"[{string.Join(' ', args)}] unexpectedly succeeded");
        Assert.NotEmpty(result.Errors);
        return string.Join("\n", result.Errors);
    }
}
