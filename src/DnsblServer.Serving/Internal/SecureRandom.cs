using System.Security.Cryptography;

namespace DnsblServer.Serving.Internal;

/// <summary>
/// Secret random bytes (the cookie secret, the rate limiter's hash seed) without loading OpenSSL. On Linux .NET's
/// <see cref="RandomNumberGenerator"/> is OpenSSL's RAND_bytes, and the first call maps libcrypto and libssl into
/// the process: 4.3 MB of an idle server's 24 MB RSS, for 16 bytes read once at start. The kernel's generator
/// (/dev/urandom, what getrandom(2) reads) is just as good for that; other systems keep the framework's.
/// </summary>
internal static class SecureRandom
{
    private const string KernelSource = "/dev/urandom";

    /// <summary>Fills <paramref name="bytes"/> from the system's cryptographic random generator.</summary>
    public static void Fill(Span<byte> bytes)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                using var source = new FileStream(KernelSource, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
                source.ReadExactly(bytes);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // a chroot or sandbox without /dev/urandom: the framework's generator will do
            }
        }
        RandomNumberGenerator.Fill(bytes);
    }

    /// <summary>A random 64-bit value from <see cref="Fill"/>.</summary>
    public static ulong NextUInt64()
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }
}
