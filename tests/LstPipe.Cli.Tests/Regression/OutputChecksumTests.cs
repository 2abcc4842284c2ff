using System.Security.Cryptography;

namespace LstPipe.Cli.Tests.Regression;

/// <summary>
/// The bytes of a fixed pipeline's outputs: a synthetic scene (seed 0) cropped, split, exported to Parquet and trained
/// for ten seeded iterations, all with relative paths so that the commands recorded in cards are the same wherever the
/// test runs. Refactorings keep every checksum; a change that means to alter an output updates it here and says why.
/// The trained weights depend on the CPU's floating-point kernels, so they are compared where they were recorded
/// (<see cref="WeightsCpu"/>) and checked run-to-run elsewhere. The scene's checksum changed deliberately with issue
/// #31: its GeoTIFFs became cloud-optimized (GDAL's COG driver: overviews and the COG layout, same values), and with
/// it the Parquet shards' bytes, whose metadata carries the dataset card with the scene files' SHA-256; and again with
/// issue #37: scene.json and the card name each guidance channel's kind (the MAT tiles and the split kept their bytes).
/// </summary>
public class OutputChecksumTests
{
    private const string WeightsCpu = "Intel(R) Xeon(R) Processor";

    private static readonly (string Output, string Sha256)[] Expected =
    [
        ("scene", "6a252b40e6e77b41e445699355ff88040c566f16666b1d66aeb0787322f28ce4"),
        ("mat", "6baedc0fbe6bde2ce9090aa0352dda5704af72f5fddac2c3b8917a135ac0dd9c"),
        ("split", "65218e67b32cc0534843b85a430d5b1cfc90ed230980f96bbe407f6e9eff4d4a"),
        ("parquet", "11aca90f49be0808b5cb110e4cf3a40f29bca4b7b206593c684302de6d67e0a9"),
    ];

    private const string Weights = "bb04ac4457a2fe0e6e9be6a2dd6919ce0964d12d0f801d6245bbc8d245265619";

    private static string Hash(string root, IEnumerable<string> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var f in files.Order(StringComparer.Ordinal))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(root, f) + "\n"));
            sha.AppendData(File.ReadAllBytes(f));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The tensor data of a safetensors file (its metadata names the dataset's card by digest).</summary>
    private static string WeightsHash(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var header = (int)BitConverter.ToUInt64(bytes, 0);
        return Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(8 + header)));
    }

    private static string Cpu() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "";

    private static Dictionary<string, string> Build(TempDir dir, string run)
    {
        void Ok(params string[] args)
        {
            var r = CliRunner.RunIn(dir.Path, args);
            Assert.True(r.ExitCode == 0, $"{string.Join(' ', args)}: exit {r.ExitCode}: {r.StdErr}");
        }

        if (!Directory.Exists(dir.File("ds")))
        {
            Ok("synth", "--out", "scene", "--size", "256", "--seed", "0");
            Ok("crop", "scene", "--out", "ds", "--size", "64");
            Ok("split", "6:1:3", "--dataset", "ds", "--strategy", "spatial", "--seed", "0");
            Ok("export", "--dataset", "ds", "--format", "parquet");
        }

        Ok("train", "--dataset", "ds", "--out", run, "--iterations", "10", "--val-every", "5", "--seed", "3",
            "--num-feats", "8", "--n-resblocks", "1", "--reduction", "4", "--lr", "1e-3", "--threads", "1");
        string Files(string folder, string pattern) => Hash(dir.Path, Directory.GetFiles(dir.File(folder), pattern, SearchOption.AllDirectories));
        return new Dictionary<string, string>
        {
            ["scene"] = Files("scene", "*"),
            ["mat"] = Files("ds", "*.mat"),
            ["split"] = Files("ds/split", "*.txt"),
            ["parquet"] = Files("ds/parquet", "*.parquet"),
            ["weights"] = WeightsHash(Path.Combine(dir.File(run), "best.safetensors")),
        };
    }

    [Fact]
    public void A_fixed_crop_split_export_and_seeded_training_keep_their_bytes()
    {
        using var dir = new TempDir();
        var got = Build(dir, "run");
        var wrong = Expected.Where(e => got[e.Output] != e.Sha256).Select(e => $"{e.Output}: {got[e.Output]}, expected {e.Sha256}").ToArray();
        Assert.True(wrong.Length == 0, string.Join("; ", wrong) + $"; weights {got["weights"]} on {Cpu()}");

        if (Cpu() == WeightsCpu)
        {
            Assert.True(got["weights"] == Weights, $"weights: {got["weights"]}, expected {Weights}");
        }
        else
        {
            Assert.Equal(got["weights"], Build(dir, "again")["weights"]);
        }
    }
}
