using DnsblServer.Serving.Internal;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.RateLimiting.Internal;

namespace DnsblServer.Serving.RateLimiting;

/// <summary>
/// Response rate limiting (RRL) as the first step after the answer: counts each UDP answer under a
/// key of client prefix, question and response class, and when the key is over
/// <see cref="RateLimiterOptions.ResponsesPerSecond"/> drops the answer or, every
/// <see cref="RateLimiterOptions.Slip"/>th time, sends a slip: header, question and OPT with TC=1,
/// so a real client retries over TCP (a client with a stale cookie gets BADCOOKIE instead, and
/// retries with the fresh server cookie the OPT carries).
/// </summary>
/// <remarks>
/// <para>Keys, unlike BIND's and Knot's: positive, NODATA and NXDOMAIN answers are keyed on the
/// question name, never on the zone, because a mail provider's resolver asks a DNSBL many different
/// names a second from one address, most answered NXDOMAIN, and must never be limited. Errors
/// (REFUSED, FORMERR, SERVFAIL, NOTIMP, BADVERS) are keyed on the client prefix alone (BIND's
/// <c>errors-per-second</c>). Not limited: TCP, a valid server cookie, exempt prefixes, answers not sent.</para>
/// <para>The table is NSD's (<c>rrl.c</c>): a fixed array indexed by hash, collisions overwrite,
/// allocated once; see <see cref="RateTable"/>. The query path allocates nothing and takes no lock.</para>
/// </remarks>
public sealed class ResponseRateLimiter : IAfterAnswerStep
{
    private const int LimitedCounter = 0;
    private const int SlippedCounter = 1;
    private const int HeaderLength = 12;

    // Position in the every-Nth slip sequence, per socket loop (a thread): no shared write per limited answer.
    [ThreadStatic] private static uint t_limited;

    private readonly RateTable _table;
    private readonly ClientPrefix _prefix;
    private readonly PrefixList _exempt;
    private readonly StripedCounters _counters = new(2);
    private readonly Func<long>? _clock;
    private readonly ulong _seed;
    private readonly int _limit;
    private readonly uint _slip;
    private readonly bool _dryRun;

    /// <summary>A limiter with its table allocated now.</summary>
    /// <param name="options">The settings (<see cref="RateLimiterOptions.Validate"/> must have passed; <see cref="RateLimiterOptions.Enabled"/>).</param>
    /// <param name="clock">Whole seconds from any fixed point, for tests; defaults to <see cref="Environment.TickCount64"/> / 1000.</param>
    public ResponseRateLimiter(RateLimiterOptions options, Func<long>? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? problem = options.Validate().FirstOrDefault();
        if (problem is not null) throw new ArgumentException(problem, nameof(options));
        ArgumentOutOfRangeException.ThrowIfZero(options.ResponsesPerSecond, nameof(options.ResponsesPerSecond));
        Options = options;
        _table = new RateTable(options.TableSize);
        _prefix = new ClientPrefix(options.Ipv4PrefixLength, options.Ipv6PrefixLength);
        _exempt = new PrefixList(options.Exempt);
        _clock = clock;
        _seed = SecureRandom.NextUInt64();
        _limit = options.ResponsesPerSecond;
        _slip = (uint)options.Slip;
        _dryRun = options.DryRun;
    }

    /// <summary>The settings it runs with.</summary>
    public RateLimiterOptions Options { get; }

    /// <summary>Buckets in the table (<see cref="RateLimiterOptions.TableSize"/> rounded up to a power of two).</summary>
    public int TableSize => _table.Size;

    /// <summary>Sums the counters of every socket loop.</summary>
    public RateLimitCounters Snapshot() => new(_counters.Sum(LimitedCounter), _counters.Sum(SlippedCounter), _dryRun);

    /// <summary>Counts the answer; sends it, slips it or drops it.</summary>
    public void Run(ref AnswerFacts facts, Span<byte> response)
    {
        if (facts.ResponseBytes == 0 || facts.Transport != TransportKind.Udp || facts.Cookie == CookieStatus.Valid) return;
        long now = _clock is null ? Environment.TickCount64 / 1000 : _clock();
        if (!_table.IsOverLimit(Key(in facts, response), now, _limit)) return;
        if (!_exempt.IsEmpty && _exempt.Contains(facts.ClientAddress)) return; // read only when limiting: free for every other answer
        Limit(ref facts, response);
    }

    /// <summary>The key's hash: client prefix, response class and (except for errors) the question as the response carries it.</summary>
    /// <remarks>
    /// The bucket's index is the client prefix's region (<see cref="RegionBuckets"/> buckets, 32 KiB)
    /// plus a slot from the whole key; the tag is the whole key's. So one client's answers touch one
    /// region, which stays in cache and in the TLB while the client is busy: a random bucket of an
    /// 8 MiB table per answer cost 290 ns (a DRAM and TLB miss) where a region costs about 40.
    /// </remarks>
    internal ulong Key(in AnswerFacts facts, ReadOnlySpan<byte> response)
    {
        ulong h = _prefix.Add(_seed, facts.ClientAddress);
        ulong region = KeyHash.Finish(h) & ~(ulong)(RegionBuckets - 1);
        ulong kind = (ulong)ResponseClass(facts.Outcome);
        int end = facts.QuestionEnd;
        if (kind != (ulong)RateLimitClass.Error && end >= HeaderLength + 5 && end <= response.Length)
        {
            h = KeyHash.AddName(h, response[HeaderLength..(end - 4)]);
            kind |= (ulong)BinaryPrimitives.ReadUInt32BigEndian(response[(end - 4)..]) << 8; // QTYPE, QCLASS
        }
        ulong key = KeyHash.Finish(KeyHash.Add(h, kind));
        return (key & 0xFFFFFFFF_00000000) | (uint)(region | (key & (RegionBuckets - 1)));
    }

    /// <summary>
    /// Buckets of one client prefix's region: 4096 (32 KiB). A client asking more distinct questions a
    /// second than this overwrites its own buckets, which only ever resets counts (never limits anyone
    /// more); see the README for what that gives an attacker (nothing beyond rotating names).
    /// </summary>
    internal const int RegionBuckets = 4096;

    /// <summary>The response class an outcome is counted under.</summary>
    internal static RateLimitClass ResponseClass(QueryOutcome outcome) => outcome switch
    {
        QueryOutcome.Listed or QueryOutcome.Version => RateLimitClass.Positive,
        QueryOutcome.NoData => RateLimitClass.NoData,
        QueryOutcome.NxDomain or QueryOutcome.Exempted => RateLimitClass.NxDomain,
        _ => RateLimitClass.Error,
    };

    // Over the limit: a slip every Nth time, else a drop; the rare path, kept out of Run.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Limit(ref AnswerFacts facts, Span<byte> response)
    {
        bool slip = _slip != 0 && ++t_limited % _slip == 0;
        _counters.Increment(LimitedCounter);
        if (slip) _counters.Increment(SlippedCounter);
        if (_dryRun) return;
        if (!slip || facts.QuestionEnd < HeaderLength)
        {
            facts = facts.WithResponse(0, truncated: false);
            return;
        }
        Slip(ref facts, response);
    }

    /// <summary>
    /// Rewrites the response in place to header, question and the OPT RR (moved down to follow the
    /// question), with no records; TC=1, or RCODE BADCOOKIE (23) when the client's cookie was missing
    /// its server half or stale, which it can fix at once with the server cookie in the OPT (as BIND).
    /// </summary>
    internal static void Slip(ref AnswerFacts facts, Span<byte> response)
    {
        int question = facts.QuestionEnd;
        int opt = facts.OptOffset;
        int optLength = opt >= question && opt < facts.ResponseBytes ? facts.ResponseBytes - opt : 0;
        if (optLength > 0) response.Slice(opt, optLength).CopyTo(response[question..]); // memmove: the OPT is last, past the question
        BinaryPrimitives.WriteUInt16BigEndian(response[6..], 0);                        // ANCOUNT
        BinaryPrimitives.WriteUInt16BigEndian(response[8..], 0);                        // NSCOUNT
        BinaryPrimitives.WriteUInt16BigEndian(response[10..], (ushort)(optLength > 0 ? 1 : 0)); // ARCOUNT: the OPT
        bool badCookie = optLength >= 11 && facts.Cookie is CookieStatus.ClientOnly or CookieStatus.Invalid;
        if (badCookie)
        {
            response[2] &= 0xFD;                                     // TC=0: the client retries over UDP with the cookie
            response[3] = (byte)((response[3] & 0xF0) | (23 & 0xF)); // BADCOOKIE: low 4 bits here...
            response[question + 5] = 23 >> 4;                        // ...high 8 in the OPT TTL's first byte
        }
        else
        {
            response[2] |= 0x02; // TC
        }
        facts = facts.WithResponse(question + optLength, truncated: !badCookie, optLength > 0 ? question : 0);
    }
}
