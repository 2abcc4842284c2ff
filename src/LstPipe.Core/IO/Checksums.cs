using System.Security.Cryptography;

namespace LstPipe.Core.IO;

/// <summary>File checksums recorded in provenance and stage fingerprints.</summary>
public static class Checksums
{
    /// <summary>The SHA-256 of a file's bytes, as lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
