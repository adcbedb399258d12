using DnsblServer.Hosting.Configuration;

namespace DnsblServer.Hosting.Verbs;

/// <summary>
/// One command of the binary (<c>DnsblServer VERB ...</c>): its name, one line for <c>--help</c>, how it reads its
/// settings (always through <see cref="SettingsPipeline"/>) and how it runs. Listed once in <see cref="VerbRegistry"/>.
/// </summary>
/// <param name="Name">The word on the command line.</param>
/// <param name="Summary">Its line in <c>DnsblServer --help</c> (may span lines, indented by the caller).</param>
/// <param name="ReadSettings">The settings the verb would run with, for the given arguments (after the verb).</param>
/// <param name="RunAsync">Runs the verb; the result is the process exit code.</param>
internal sealed record Verb(
    string Name,
    string Summary,
    Func<string[], SettingsSources, SettingsResult> ReadSettings,
    Func<string[], VerbContext, Task<int>> RunAsync);
