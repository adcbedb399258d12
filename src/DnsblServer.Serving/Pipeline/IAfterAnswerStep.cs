namespace DnsblServer.Serving.Pipeline;

/// <summary>
/// One step of the <see cref="AfterAnswerStage"/>: runs on the query path once the answer is
/// written and before it is sent. Called concurrently from every socket loop; must not allocate
/// or lock per query.
/// </summary>
/// <remarks>
/// Most steps only read <c>facts</c> (counters, query log). A step that changes the
/// answer (the rate limiter: send, slip or drop) rewrites <c>response</c> in place and
/// replaces <c>facts</c> with <see cref="AnswerFacts.WithResponse"/>; such steps come
/// first in the stage, so that the steps after them see what is actually sent.
/// </remarks>
public interface IAfterAnswerStep
{
    /// <summary>Runs the step for one query.</summary>
    /// <param name="facts">What the stages before decided.</param>
    /// <param name="response">The response to send, <see cref="AnswerFacts.ResponseBytes"/> long (empty when nothing is sent).</param>
    void Run(ref AnswerFacts facts, Span<byte> response);
}
