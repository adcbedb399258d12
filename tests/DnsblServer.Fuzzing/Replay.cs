namespace DnsblServer.Fuzzing;

/// <summary>Runs inputs once each outside afl: to reproduce a crash with its stack trace, or to check a seed corpus.</summary>
internal static class Replay
{
    /// <summary>Inputs past this are cut (the same under afl): parsing cost grows with the input, and small inputs find more per second.</summary>
    public const int MaxInput = 64 * 1024;

    public static int Run(IFuzzTarget target, IEnumerable<string> paths)
    {
        int failed = 0, ran = 0;
        foreach (string path in paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order() : (IEnumerable<string>)[p]))
        {
            ran++;
            try
            {
                byte[] bytes = File.ReadAllBytes(path);
                target.FuzzTarget(bytes.AsSpan(0, Math.Min(bytes.Length, MaxInput)));
            }
            catch (Exception e)
            {
                failed++;
                Console.Error.WriteLine($"CRASH {target.Name} {path}\n{e}");
            }
        }
        Console.WriteLine($"{target.Name}: {ran} inputs, {failed} crashed");
        return failed == 0 ? 0 : 1;
    }
}
