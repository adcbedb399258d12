using System.Text;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Tests;

/// <summary>Interning values from line bytes: the same ids as from strings, and no allocation for a known value.</summary>
public sealed class ValueTableTests
{
    [Fact]
    public void BytesFindTheValueTheStringMade()
    {
        var table = new ValueTable();
        int dflt = table.Intern(RawValue.BuiltInDefault);
        int a = table.Intern(0x7f000003, Encoding.Latin1.GetBytes("Listed, see é $"));
        int b = table.Intern(0x7f000004, Encoding.Latin1.GetBytes("Listed, see é $"));   // another A: another value
        int c = table.Intern(0x7f000003, Encoding.Latin1.GetBytes("Listed, see e $"));   // another text
        Assert.Equal(4, table.Count);
        Assert.Equal([0, 1, 2, 3], new[] { dflt, a, b, c });
        // not the last value, so found through the dictionary, from bytes and from a string alike
        Assert.Equal(a, table.Intern(0x7f000003, Encoding.Latin1.GetBytes("Listed, see é $")));
        Assert.Equal(b, table.Intern(new RawValue(0x7f000004, "Listed, see é $")));
        Assert.Equal(dflt, table.Intern(0x7f000002, []));
        Assert.Equal("Listed, see é $", table[a].Text);
        Assert.Equal(4, table.Count);
    }

    [Fact]
    public void AKnownValueAllocatesNothing()
    {
        var table = new ValueTable();
        byte[] one = Encoding.Latin1.GetBytes("first value, long enough to need a bigger last-value buffer than 64 bytes ......");
        byte[] two = Encoding.Latin1.GetBytes("second");
        table.Intern(1, one);
        table.Intern(2, two);
        table.Intern(1, one);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            table.Intern(1, one);
            table.Intern(2, two);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2, table.Count);
    }
}
