using DnsblServer.TestSupport;
using System.Text;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Tests;

/// <summary>Interning of values: one id per distinct (A, TXT), whichever way the value arrives.</summary>
public sealed class ValueTableTests
{
    [Fact]
    public void ValuesFromBytesAndFromStringsShareIds()
    {
        var table = new ValueTable();
        int plain = table.Intern(new RawValue(0x7f000002, "listed $"));
        int latin1 = table.Intern(0x7f000003, Encoding.Latin1.GetBytes("caf\u00e9 \u00ff"));
        Assert.Equal(plain, table.Intern(0x7f000002, "listed $"u8));
        Assert.Equal(latin1, table.Intern(new RawValue(0x7f000003, "caf\u00e9 \u00ff")));
        Assert.Equal(latin1, table.Intern(0x7f000003, Encoding.Latin1.GetBytes("caf\u00e9 \u00ff")));
        Assert.NotEqual(plain, table.Intern(0x7f000003, "listed $"u8));          // another A
        Assert.NotEqual(plain, table.Intern(0x7f000002, "listed $ "u8));         // another TXT
        Assert.NotEqual(plain, table.Intern(0x7f000002, "listed"u8));
        Assert.NotEqual(latin1, table.Intern(new RawValue(0x7f000003, "caf\u0100 \u00ff"))); // not a Latin-1 string
        Assert.Equal(6, table.Count);
        Assert.Equal("caf\u00e9 \u00ff", table[latin1].Text);
    }

    [Fact]
    public void AKnownValueFromALineAllocatesNothing()
    {
        var table = new ValueTable();
        byte[][] texts = [.. Enumerable.Range(0, 3).Select(i => Encoding.Latin1.GetBytes($"Listed by feed {i}, see http://www.example/lookup?q=$"))];
        foreach (var text in texts) table.Intern(0x7f000002, text);
        int sum = 0;
        Assert.Equal(0, Allocations.Fewest(() =>
        {
            sum = 0;
            for (int i = 0; i < 1000; i++) sum += table.Intern(0x7f000002, texts[i % 3]); // the value changes every line
        }));
        Assert.Equal(999, sum);
    }
}
