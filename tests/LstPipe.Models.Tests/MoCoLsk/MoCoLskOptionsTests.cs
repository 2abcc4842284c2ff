using LstPipe.Core.Errors;
using LstPipe.Models.MoCoLsk;

namespace LstPipe.Models.Tests.MoCoLsk;

/// <summary>Every configuration error names the option to change.</summary>
public class MoCoLskOptionsTests
{
    [Theory]
    [InlineData(8, 16, 1, "--reduction 16 with --num-feats 8: channel attention squeezes the width by the reduction, so use a --reduction from 1 to 8")]
    [InlineData(7, 1, 1, "--num-feats 7: use an even width")]
    [InlineData(2048, 16, 1, "--num-feats 2048: use an even width from 2 to 1024")]
    [InlineData(8, 0, 1, "--reduction 0 with --num-feats 8")]
    [InlineData(8, 4, 0, "--n-resblocks 0: use 1 to 64")]
    public void A_configuration_error_names_the_option(int numFeats, int reduction, int resblocks, string message)
    {
        var o = new MoCoLskOptions { NumFeats = numFeats, Reduction = reduction, NResblocks = resblocks, LstMean = 290, LstStd = 3 };
        Assert.StartsWith(message, Assert.Throws<UsageException>(() => o.Validate()).Message);
    }
}
