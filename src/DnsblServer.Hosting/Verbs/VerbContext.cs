using DnsblServer.Hosting.Configuration;

namespace DnsblServer.Hosting.Verbs;

/// <summary>What a verb runs against: where it writes and where its settings come from (tests swap all three).</summary>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="Sources">appsettings.json and the environment.</param>
internal sealed record VerbContext(TextWriter Output, TextWriter Error, SettingsSources Sources)
{
    /// <summary>The process's console, appsettings.json and environment.</summary>
    public static VerbContext Console => new(System.Console.Out, System.Console.Error, SettingsSources.Process);

    /// <summary>
    /// Prints what a failed or help-only <paramref name="result"/> says and returns its exit code (0 help, 2 bad
    /// settings); null when the verb should go on. Warnings go to <see cref="Error"/> unless the verb prints them itself.
    /// </summary>
    public int? Report(SettingsResult result, string usage, bool printWarnings = true)
    {
        if (result.ShowHelp)
        {
            Output.Write(usage);
            return 0;
        }
        foreach (string error in result.Errors) Error.WriteLine($"DnsblServer: {error}");
        if (!result.IsSuccess) return 2;
        if (printWarnings)
        {
            foreach (string warning in result.Warnings) Error.WriteLine($"DnsblServer: warning: {warning}");
        }
        return null;
    }
}
