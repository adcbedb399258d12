namespace DnsblServer.Serving.Pipeline;

/// <summary>
/// The stage after the answer: an ordered list of <see cref="IAfterAnswerStep"/>s run for every
/// query, with the facts the resolver settled. Adding a behaviour here is adding one step, not
/// editing the resolver (Knot's <c>knotd_mod_hook(..., KNOTD_STAGE_END, ...)</c>; CoreDNS plugins
/// wrapping the response writer).
/// </summary>
/// <remarks>
/// Order matters: steps that may change the answer (the coming rate limiter) go before the ones
/// that observe it (counters, query log). Fixed at construction: the list is an array read
/// without a lock, one interface call per step per query.
/// </remarks>
public sealed class AfterAnswerStage
{
    private readonly IAfterAnswerStep[] _steps;

    /// <summary>A stage of <paramref name="steps"/>, in order; null entries (a step switched off) are skipped.</summary>
    public AfterAnswerStage(params IAfterAnswerStep?[] steps) => _steps = [.. steps.OfType<IAfterAnswerStep>()];

    /// <summary>The steps, in the order they run.</summary>
    public IReadOnlyList<IAfterAnswerStep> Steps => _steps;

    /// <summary>Runs every step; returns the length of the response to send (0 = none), which a step may have changed.</summary>
    public int Run(ref AnswerFacts facts, Span<byte> response)
    {
        foreach (var step in _steps) step.Run(ref facts, response[..facts.ResponseBytes]);
        return facts.ResponseBytes;
    }
}
