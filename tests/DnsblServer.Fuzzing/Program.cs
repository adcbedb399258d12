using DnsblServer.Fuzzing;
using SharpFuzz;

// DnsblServer.Fuzzing TARGET            run under afl-fuzz (SharpFuzz's forkserver; reads stdin once without afl)
// DnsblServer.Fuzzing TARGET PATH...    run files (or every file of folders) once each, no afl: replay a crash, check a corpus
// DnsblServer.Fuzzing --list            the target names
// Our assemblies are instrumented (fuzz.sh): every branch writes to SharpFuzz's trace map, which is null until
// Fuzzer.Run attaches afl's. Point it at a scratch map first, so the set-up and the replay mode run too.
unsafe
{
    SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16);
}
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: DnsblServer.Fuzzing TARGET [FILE|DIR...] | --list");
    return 2;
}
if (args[0] == "--list")
{
    foreach (string name in FuzzTargets.Names) Console.WriteLine(name);
    return 0;
}
var target = FuzzTargets.Create(args[0]);
if (target is null)
{
    Console.Error.WriteLine($"unknown target '{args[0]}'; targets: {string.Join(' ', FuzzTargets.Names)}");
    return 2;
}
if (args.Length > 1) return Replay.Run(target, args[1..]);

var buffer = new byte[Replay.MaxInput];
// Out of process: a stack overflow or a hang kills only the child that SharpFuzz restarts, not the afl session.
Fuzzer.OutOfProcess.Run(stream =>
{
    int length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
    target.FuzzTarget(buffer.AsSpan(0, length));
});
return 0;
