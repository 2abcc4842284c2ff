namespace LstPipe.Inference;

/// <summary>The type a network's body computes in at inference (<c>--precision</c>).</summary>
public enum Precision
{
    /// <summary>float32 throughout (the default).</summary>
    Fp32,

    /// <summary>The body in bfloat16; normalization, skips, residual adds and the output in float32.</summary>
    Bf16,
}
