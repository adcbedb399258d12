namespace DnsblServer.TestSupport;

/// <summary>
/// Random value columns for generated zone lines (every value form: none, <c>:A:TXT</c>, <c>:A:</c>, <c>:A</c>,
/// bare text, a full address with variables and <c>$$</c>, a repeated value), shared by the random zone
/// generators of the differential tests. The draws are the same as the copies it replaced, so a seed still
/// gives the same files.
/// </summary>
public static class RandomValues
{
    /// <summary>One value column, with its leading blank; "" for none.</summary>
    /// <param name="random">The generator's random source.</param>
    /// <param name="comment">Also draw <c> # comment</c> (a comment where the value would be).</param>
    /// <param name="dollarEnd">Also draw a tab-separated value whose text ends in <c>$</c>.</param>
    /// <param name="substitutionSuffix">Text appended to the full-address form (IPv6 zones test <c> [$]</c>).</param>
    public static string Next(Random random, bool comment = false, bool dollarEnd = false, string substitutionSuffix = "")
    {
        ArgumentNullException.ThrowIfNull(random);
        int a = 2 + random.Next(6);
        int pick = random.Next(7 + (comment ? 1 : 0) + (dollarEnd ? 1 : 0));
        if (!comment && pick >= 6) pick++; // no comment form: the forms after it move down one
        return pick switch
        {
            0 => "",
            1 => $" :{a}:listed $ as {a}",
            2 => $" :{a}:",
            3 => $" :{a}",
            4 => " bare text for $",
            5 => $" :127.0.0.{a}:v=$1 $${substitutionSuffix}",
            6 => " # comment",
            7 => $" :{a}:same",
            _ => $"\t:{a}: dollar-end$",
        };
    }
}
