using System.Globalization;

namespace DnsblServer.Benchmarks;

/// <summary>The options of the <c>memory</c>, <c>loadtime</c> and <c>allocations</c> modes: <c>--name value</c> pairs and flags.</summary>
internal sealed class ModeArguments(IReadOnlyList<string> args)
{
    /// <summary>True when the flag is present.</summary>
    public bool Has(string flag) => args.Contains(flag);

    /// <summary>The value after <c>--name</c>, or null.</summary>
    public string? Value(string name)
    {
        int at = args.ToList().IndexOf("--" + name);
        return at >= 0 && at + 1 < args.Count ? args[at + 1] : null;
    }

    /// <summary>An integer option (underscores allowed: 5_000_000), or <paramref name="fallback"/>.</summary>
    public int Count(string name, int fallback) =>
        Value(name) is { } text ? int.Parse(text.Replace("_", ""), CultureInfo.InvariantCulture) : fallback;
}
