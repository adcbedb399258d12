namespace DnsblServer.Hosting.Configuration.Internal;

/// <summary>
/// Splits arguments the way glibc <c>getopt(3)</c> does for rbldnsd's option string, in its default (permuting)
/// mode: options may follow operands; <c>-nq</c> combines flags; an option's value is the rest of the same argument
/// (<c>-b127.0.0.1</c>) or the next argument, whatever it looks like (<c>-l -</c>); <c>--</c> ends options; a lone
/// <c>-</c> is an operand. Unlike getopt it keeps going after an error so every problem is reported at once.
/// One addition: <c>--Section:Key=Value</c> and <c>--Section:Key Value</c> (a key with a colon) are configuration
/// overrides, collected in <see cref="Result.Overrides"/>; <c>--help</c> is taken as <c>-h</c>; any other
/// <c>--word</c> is an error naming it (rbldnsd rejects every argument starting with <c>--</c> other than <c>--</c>).
/// </summary>
internal static class Getopt
{
    /// <summary>The result of splitting.</summary>
    internal sealed class Result
    {
        public List<(char Option, string? Value)> Options { get; } = [];

        public List<string> Operands { get; } = [];

        public List<string> Errors { get; } = [];

        /// <summary>The <c>--Section:Key=Value</c> overrides in the order given, each key once: a later one wins.</summary>
        public List<KeyValuePair<string, string?>> Overrides { get; } = [];

        // the in-memory configuration source refuses a key twice; configuration keys ignore case
        internal void Override(string key, string? value)
        {
            Overrides.RemoveAll(o => string.Equals(o.Key, key, StringComparison.OrdinalIgnoreCase));
            Overrides.Add(new(key, value));
        }
    }

    /// <summary>Splits <paramref name="args"/>. <paramref name="optstring"/> uses getopt syntax (<c>b:</c> = takes a value).</summary>
    public static Result Split(IReadOnlyList<string> args, string optstring)
    {
        var result = new Result();
        bool endOfOptions = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i] ?? "";
            if (endOfOptions || arg.Length < 2 || arg[0] != '-')
            {
                result.Operands.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                endOfOptions = true;
                continue;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (arg == "--help")
                {
                    result.Options.Add(('h', null));
                    continue;
                }

                int equals = arg.IndexOf('=');
                string key = equals < 0 ? arg[2..] : arg[2..equals];
                if (!key.Contains(':') || key.StartsWith(':') || key.EndsWith(':'))
                {
                    // a key without a section is no setting here: a stray option, not something to skip silently
                    result.Errors.Add($"unknown option '{(equals < 0 ? arg : arg[..equals])}' (settings are --Dnsbl:Key=Value; see --help)");
                    continue;
                }

                if (equals >= 0)
                {
                    result.Override(key, arg[(equals + 1)..]);
                }
                else if (i + 1 < args.Count)
                {
                    result.Override(key, args[++i]); // "--Key Value", as the configuration command-line provider reads it
                }
                else
                {
                    result.Errors.Add($"option '{arg}' requires a value");
                }

                continue;
            }

            for (int j = 1; j < arg.Length; j++)
            {
                char c = arg[j];
                int at = c == ':' ? -1 : optstring.IndexOf(c);
                if (at < 0)
                {
                    result.Errors.Add($"invalid option -- '{c}'");
                    continue;
                }

                if (at + 1 >= optstring.Length || optstring[at + 1] != ':')
                {
                    result.Options.Add((c, null));
                    continue;
                }

                if (j + 1 < arg.Length)
                {
                    result.Options.Add((c, arg[(j + 1)..]));
                }
                else if (i + 1 < args.Count)
                {
                    result.Options.Add((c, args[++i] ?? ""));
                }
                else
                {
                    result.Errors.Add($"option requires an argument -- '{c}'");
                }

                break;
            }
        }

        return result;
    }
}
