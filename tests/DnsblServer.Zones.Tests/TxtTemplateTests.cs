using System.Text;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Tests;

/// <summary>Expansion plus rendering must equal rbldnsd's txtsubst (cases recorded against rbldnsd 1.0pre).</summary>
public sealed class TxtTemplateTests
{
    private static string Render(string template, string substitution, byte[]?[]? variables = null, string? baseTemplate = null)
    {
        byte[]? expanded = TxtTemplate.Expand(Encoding.Latin1.GetBytes(template), variables ?? new byte[]?[10], baseTemplate is null ? default : Encoding.Latin1.GetBytes(baseTemplate));
        if (expanded is null) return "";
        var text = new byte[300];
        return Encoding.Latin1.GetString(text, 0, TxtTemplate.Render(expanded, Encoding.ASCII.GetBytes(substitution), text));
    }

    [Theory]
    [InlineData("Listed $ see http://x/?ip=$", "127.0.0.2", "Listed 127.0.0.2 see http://x/?ip=127.0.0.2")]
    [InlineData("no dollar", "1.2.3.4", "no dollar")]
    [InlineData("$", "1.2.3.4", "1.2.3.4")]
    [InlineData("cost $$5", "1.2.3.4", "cost $5")]
    [InlineData("$$$", "ip", "$ip")]
    [InlineData("a$b", "IP", "aIPb")]
    [InlineData("$1 and $9", "ip", "$1 and $9")]
    [InlineData("a$=b", "ip", "aa$=bb")]
    [InlineData("a$$b$1c$=d$", "127.0.0.3", "a$b$1ca$$b$1c$=d$d127.0.0.3")]
    [InlineData("", "1.2.3.4", "")]
    [InlineData("x$", "", "x")]
    public void RendersLikeTxtsubst(string template, string substitution, string expected) =>
        Assert.Equal(expected, Render(template, substitution));

    [Theory]
    [InlineData(300, "", 254)]
    [InlineData(253, "1.2.3.4", 254)]
    public void CapsAt254(int xs, string suffix, int expected) =>
        Assert.Equal(expected, Render(new string('x', xs) + (suffix.Length > 0 ? "$" : ""), suffix).Length);

    [Fact]
    public void VariablesAndBaseTemplateAreInsertedRaw()
    {
        var vars = new byte[]?[10];
        vars[1] = "one"u8.ToArray();
        vars[2] = "has $ and $$ and $1"u8.ToArray();
        Assert.Equal("v2=has $ and $$ and $1", Render("v2=$2", "ip", vars));
        Assert.Equal("base [ip=$ v=$1] 1.0.0.5", Render("ip=$ v=$1", "1.0.0.5", vars, "base [$=] $"));
        Assert.Equal("$ one $$ $1 $= $ 1.0.0.2", Render("=$$ $1 $= $", "1.0.0.2", vars, "base [$=] $"));
        Assert.Equal("base [1.0.0.3] 1.0.0.3", Render("", "1.0.0.3", vars, "base [$=] $"));
    }

    [Theory]
    [InlineData("nul\0inside $", "nul")]          // rbldnsd 1.0pre serves "nul" (a C string ends at NUL)
    [InlineData("$\0$", "203.0.113.21")]
    [InlineData("\0$", "")]
    public void TextEndsAtNul(string template, string expected) =>
        Assert.Equal(expected, Render(template, "203.0.113.21"));
}
