using LstPipe.Torch;
using LstPipe.Torch.NN;

namespace LstPipe.Models;

/// <summary>A network that maps LR LST in Kelvin (B, 1, h, w) and normalized HR guidance (B, C, H, W) to HR LST in
/// Kelvin (B, 1, H, W); each normalizes the LST inside with the z-score it was built with.</summary>
public abstract class DownscalingNetwork : Module
{
    /// <summary>Computes the HR LST.</summary>
    public abstract Tensor Forward(Tensor lst, Tensor guidance);
}
