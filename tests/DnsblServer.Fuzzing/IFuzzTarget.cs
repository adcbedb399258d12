namespace DnsblServer.Fuzzing;

/// <summary>
/// One fuzz target (as dotnet/runtime's src/libraries/Fuzzing): bytes in, and an exception out only for a bug.
/// Errors that the code under test documents for bad input, and that its caller handles, are caught inside.
/// </summary>
internal interface IFuzzTarget
{
    /// <summary>The name used on the command line and as the corpus folder (corpus/NAME/).</summary>
    string Name { get; }

    /// <summary>Runs one input; throws only for a bug (an unexpected exception or a broken invariant).</summary>
    void FuzzTarget(ReadOnlySpan<byte> bytes);
}
