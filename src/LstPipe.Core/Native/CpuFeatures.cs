namespace LstPipe.Core.Native;

/// <summary>What the CPU offers, from the flags of <c>/proc/cpuinfo</c>: the speed decisions that depend on the
/// instruction set are taken from these, never assumed.</summary>
/// <param name="Model">The processor's model name (<c>AMD EPYC 7B13</c>), or <c>unknown CPU</c>.</param>
/// <param name="Flags">Its feature flags (<c>avx2</c>, <c>avx512_bf16</c>, <c>amx_bf16</c>, ...).</param>
/// <param name="Vendor">Its vendor (<c>AuthenticAMD</c>, <c>GenuineIntel</c>), or empty.</param>
public sealed record CpuFeatures(string Model, IReadOnlySet<string> Flags, string Vendor = "")
{
    /// <summary>This machine's CPU (read once; no flags where <c>/proc/cpuinfo</c> cannot be read).</summary>
    public static CpuFeatures Current { get; } = Parse(TryRead("/proc/cpuinfo"));

    /// <summary>Whether libtorch computes bfloat16 natively here: the CPU has AVX512-BF16 or AMX-BF16 and its
    /// convolutions may use them (not an AMD processor, where they are held to SSE4.1); otherwise libtorch emulates
    /// bfloat16 in software, many times slower than float32.</summary>
    public bool NativeBf16 => (Flags.Contains("avx512_bf16") || Flags.Contains("amx_bf16")) && Vendor != "AuthenticAMD";

    /// <summary>The features in the text of <c>/proc/cpuinfo</c>: the first processor's <c>model name</c> and
    /// <c>flags</c>.</summary>
    public static CpuFeatures Parse(string cpuinfo)
    {
        string? Field(string name) => cpuinfo.Split('\n').Select(l => l.Split(':', 2))
            .FirstOrDefault(p => p.Length == 2 && p[0].Trim() == name)?[1].Trim();
        var flags = (Field("flags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new CpuFeatures(Field("model name") ?? "unknown CPU", new HashSet<string>(flags, StringComparer.Ordinal),
            Field("vendor_id") ?? "");
    }

    private static string TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
