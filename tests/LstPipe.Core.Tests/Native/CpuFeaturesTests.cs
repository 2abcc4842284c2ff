using LstPipe.Core.Native;

namespace LstPipe.Core.Tests.Native;

public class CpuFeaturesTests
{
    private const string Epyc = """
        processor	: 0
        vendor_id	: AuthenticAMD
        model name	: AMD EPYC 7B13
        flags		: fpu vme de pse tsc msr pae mce cx8 apic sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 bmi2 sha_ni

        processor	: 1
        model name	: AMD EPYC 7B13
        flags		: fpu avx2
        """;

    private const string Xeon = """
        processor	: 0
        model name	: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz
        flags		: fpu avx2 avx512f avx512_bf16 amx_bf16 amx_tile amx_int8
        """;

    [Fact]
    public void Native_bfloat16_is_read_from_the_flags_of_the_first_processor()
    {
        var epyc = CpuFeatures.Parse(Epyc);
        Assert.Equal(("AMD EPYC 7B13", "AuthenticAMD"), (epyc.Model, epyc.Vendor));
        Assert.Contains("avx2", epyc.Flags);
        Assert.False(epyc.NativeBf16);
        Assert.True(CpuFeatures.Parse(Xeon).NativeBf16);
        Assert.Equal("unknown CPU", CpuFeatures.Parse("").Model);
        Assert.False(CpuFeatures.Parse("").NativeBf16);
    }

    [Fact]
    public void This_machine_reads_as_grep_reads_its_cpuinfo()
    {
        var grep = Processes.Run("grep", ["-c", "-m1", "-E", "^flags.*\\b(avx512_bf16|amx_bf16)\\b", "/proc/cpuinfo"]);
        Assert.Equal(grep.StdOut.Trim() == "1", CpuFeatures.Current.Flags.Contains("avx512_bf16") || CpuFeatures.Current.Flags.Contains("amx_bf16"));
    }
}
