namespace LstPipe.Torch;

/// <summary>Element types, with the shim's codes.</summary>
public enum ScalarType
{
    /// <summary>32-bit float (<c>torch.float32</c>).</summary>
    Float32 = 0,

    /// <summary>64-bit float (<c>torch.float64</c>).</summary>
    Float64 = 1,

    /// <summary>64-bit integer (<c>torch.int64</c>).</summary>
    Int64 = 2,

    /// <summary>Boolean (<c>torch.bool</c>), one byte per element.</summary>
    Bool = 3,

    /// <summary>32-bit integer (<c>torch.int32</c>).</summary>
    Int32 = 4,
}

/// <summary>Where a tensor lives.</summary>
public enum DeviceType
{
    /// <summary>Host memory.</summary>
    Cpu = 0,

    /// <summary>A CUDA GPU (only when the linked libtorch has CUDA).</summary>
    Cuda = 1,
}

/// <summary>Sizes and names of element types.</summary>
public static class ScalarTypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(this ScalarType t) => t switch
    {
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>The element type of a .NET type.</summary>
    public static ScalarType Of<T>()
        where T : unmanaged => typeof(T) == typeof(float) ? ScalarType.Float32
        : typeof(T) == typeof(double) ? ScalarType.Float64
        : typeof(T) == typeof(long) ? ScalarType.Int64
        : typeof(T) == typeof(int) ? ScalarType.Int32
        : typeof(T) == typeof(bool) ? ScalarType.Bool
        : throw new NotSupportedException($"{typeof(T).Name} is not a tensor element type");
}
