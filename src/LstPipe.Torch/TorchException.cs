namespace LstPipe.Torch;

/// <summary>An error raised inside libtorch (shape mismatch, bad argument, ...), carrying libtorch's message.</summary>
public sealed class TorchException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public TorchException(string message)
        : base(message)
    {
    }
}
