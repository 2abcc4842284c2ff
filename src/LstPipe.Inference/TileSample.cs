namespace LstPipe.Inference;

/// <summary>One normalized training pair, as host arrays: LR LST (Kelvin), HR guidance (normalized), HR truth.</summary>
/// <param name="Index">Tile index.</param>
/// <param name="LrSize">LR edge in pixels.</param>
/// <param name="HrSize">HR edge in pixels.</param>
/// <param name="Lr">LR LST, h x w.</param>
/// <param name="Guidance">Guidance, C x H x W.</param>
/// <param name="Hr">HR LST, H x W.</param>
public sealed record TileSample(int Index, int LrSize, int HrSize, float[] Lr, float[] Guidance, float[] Hr);
