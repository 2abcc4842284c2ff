using System.Text.Json;
using Xunit;

namespace LstPipe.Testing;

/// <summary>The independent Parquet readers (DuckDB and hyparquet under node) that tests check shards with;
/// <c>scripts/setup.sh --tests</c> installs them in <c>tests/parquet-readers</c>.</summary>
public static class ParquetReaders
{
    /// <summary>The two readers.</summary>
    public static readonly string[] All = ["duckdb", "hyparquet"];

    /// <summary>Reads a tile shard with one reader and returns its JSON report (see read.mjs).</summary>
    public static JsonDocument Read(string reader, string path)
    {
        var folder = Path.Combine(RepoPaths.Root, "tests", "parquet-readers");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules")),
            $"the Parquet readers are not installed in {folder}: run scripts/setup.sh --tests");
        var r = Processes.Run("node", [Path.Combine(folder, "read.mjs"), reader, path], folder);
        Assert.True(r.ExitCode == 0, $"{reader} could not read {path}: {r.StdErr}");
        return JsonDocument.Parse(r.StdOut);
    }

    /// <summary>SHA-256 of float32 values as little-endian bytes, NaN written as the canonical quiet NaN (as JavaScript does).</summary>
    public static string Digest(ReadOnlySpan<float> values)
    {
        var canonical = values.ToArray();
        for (var i = 0; i < canonical.Length; i++)
        {
            if (float.IsNaN(canonical[i]))
            {
                canonical[i] = BitConverter.Int32BitsToSingle(0x7FC00000);
            }
        }

        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(canonical.AsSpan())));
    }
}
