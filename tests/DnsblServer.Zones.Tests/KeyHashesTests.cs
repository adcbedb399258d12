using System.Text;
using DnsblServer.Zones.Datasets.Dns;

namespace DnsblServer.Zones.Tests;

public sealed class KeyHashesTests
{
    [Fact]
    public void EveryAddedKeyMayBeThere_AndOthersAlmostNeverAre()
    {
        var added = Enumerable.Range(0, 20_000).Select(i => Encoding.ASCII.GetBytes($"\u0003com\u0007name{i}")).ToArray();
        var set = new KeyHashes(added.Select(k => KeyHashes.Hash(k)).ToArray());

        Assert.All(added, k => Assert.True(set.MayContain(KeyHashes.Hash(k))));
        int falsePositives = Enumerable.Range(0, 100_000).Count(i => set.MayContain(KeyHashes.Hash(Encoding.ASCII.GetBytes($"\u0003com\u0007other{i}"))));
        Assert.True(falsePositives < 10, $"{falsePositives} false positives in 100,000");
        Assert.Equal(32768 * 4, set.SizeInBytes); // at most three quarters full
    }

    [Fact]
    public void HashCoversEveryByte()
    {
        var key = Encoding.ASCII.GetBytes("\u0003com\u0007example\u0003www");
        uint hash = KeyHashes.Hash(key);
        for (int i = 0; i < key.Length; i++)
        {
            var changed = (byte[])key.Clone();
            changed[i] ^= 1;
            Assert.NotEqual(hash, KeyHashes.Hash(changed));
        }
        Assert.NotEqual(hash, KeyHashes.Hash(key.AsSpan(0, key.Length - 1)));
    }

    [Fact]
    public void EmptySet_HasNothing() => Assert.False(new KeyHashes([]).MayContain(KeyHashes.Hash("x"u8)));
}
