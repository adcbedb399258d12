namespace DnsblServer.Wire;

/// <summary>
/// EDNS as rbldnsd's <c>parsequery</c> sees it: honoured only when an OPT RR (root owner, TYPE 41) starts right after
/// the question, NSCOUNT is 0 and ARCOUNT is 1. Nothing else in the OPT RR is looked at.
/// </summary>
public readonly struct RbldnsdEdns
{
    /// <summary>rbldnsd's reply buffer (<c>DNS_EDNS0_MAXPACKET</c>); also the payload size it advertises.</summary>
    public const int MaxPacket = 2048;

    /// <summary>Size of a minimal OPT RR, which rbldnsd keeps free at the end of an EDNS reply.</summary>
    public const int OptSize = 11;

    internal RbldnsdEdns(ushort udpPayloadSize)
    {
        Present = true;
        UdpPayloadSize = udpPayloadSize;
    }

    /// <summary>True when rbldnsd would honour the OPT RR.</summary>
    public bool Present { get; }

    /// <summary>The OPT CLASS field as sent.</summary>
    public ushort UdpPayloadSize { get; }

    /// <summary>
    /// Where rbldnsd stops adding records (<c>p_endp</c>): 512 without EDNS or when the size is below 523; otherwise
    /// size − 11, but any size above 2037 gives 2037. Note the step: 2037 → 2026 while 2038 → 2037, as in rbldnsd.
    /// The 11 bytes left over are for the OPT RR that <see cref="ResponseWriter.FinishRbldnsd"/> adds past 512 bytes.
    /// </summary>
    public int AnswerLimit
    {
        get
        {
            if (!Present || UdpPayloadSize < ResponseWriter.DefaultSizeLimit + OptSize)
            {
                return ResponseWriter.DefaultSizeLimit;
            }

            return UdpPayloadSize > MaxPacket - OptSize ? MaxPacket - OptSize : UdpPayloadSize - OptSize;
        }
    }
}
