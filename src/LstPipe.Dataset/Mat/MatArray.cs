namespace LstPipe.Dataset.Mat;

/// <summary>A 2-D single-precision array of a MAT file, held row-major (as C#, numpy and GDAL hold it).</summary>
/// <param name="Name">The MATLAB variable name.</param>
/// <param name="Height">Rows.</param>
/// <param name="Width">Columns.</param>
/// <param name="Values">Row-major values, <c>Height * Width</c> long.</param>
public sealed record MatArray(string Name, int Height, int Width, float[] Values)
{
    /// <summary>How the file stored it: MATLAB <c>single</c>, or <c>double</c> (read as float32).</summary>
    public string Stored { get; init; } = "single";

    /// <summary>The value at a row and column.</summary>
    public float this[int row, int col] => Values[row * Width + col];
}
