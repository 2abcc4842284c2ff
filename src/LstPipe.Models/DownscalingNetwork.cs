using LstPipe.Core.Errors;
using LstPipe.Torch;
using LstPipe.Torch.NN;

namespace LstPipe.Models;

/// <summary>A network that maps LR LST in Kelvin (B, 1, h, w) and normalized HR guidance (B, C, H, W) to HR LST in
/// Kelvin (B, 1, H, W); each normalizes the LST inside with the z-score it was built with.</summary>
public abstract class DownscalingNetwork : Module
{
    /// <summary>The HR height and width must be multiples of this (1: any size).</summary>
    public virtual int SizeMultiple => 1;

    /// <summary>Computes the HR LST.</summary>
    public abstract Tensor Forward(Tensor lst, Tensor guidance);

    /// <summary>Throws unless the guidance's height and width are multiples of <see cref="SizeMultiple"/>.</summary>
    /// <exception cref="UsageException">They are not.</exception>
    protected void CheckSize(Tensor guidance)
    {
        var (h, w) = (guidance.Shape[^2], guidance.Shape[^1]);
        if (h % SizeMultiple != 0 || w % SizeMultiple != 0)
        {
            throw new UsageException($"{GetType().Name} needs HR tiles whose sides are multiples of {SizeMultiple} px; got {h} x {w} (crop with such a --size, or predict with such a --window)");
        }
    }
}
