using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace CrmIntegration.Simulator;

internal static class WxIds
{
    /// <summary>A random 19-digit positive number as text (msgid, echostr plaintext).</summary>
    public static string NineteenDigits()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        const long Min = 1_000_000_000_000_000_000;
        var value = Min + (long)(BinaryPrimitives.ReadUInt64LittleEndian(bytes) % (ulong)(long.MaxValue - Min));
        return value.ToString(CultureInfo.InvariantCulture);
    }
}
