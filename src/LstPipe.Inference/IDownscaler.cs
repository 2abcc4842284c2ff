using LstPipe.Inference.Contracts;
using LstPipe.Models;

namespace LstPipe.Inference;

/// <summary>A trained downscaler that predicts, whichever engine runs it: <see cref="Downscaler"/> (the TorchSharp
/// network in process) or <see cref="OnnxDownscaler"/> (an ONNX graph written by <c>lstpipe convert</c>, run by ONNX
/// Runtime). Predict and test see only this: the same windows, blending, checks and contract for both.</summary>
public interface IDownscaler : IDisposable
{
    /// <summary>The model and its configuration.</summary>
    ModelSpec Spec { get; }

    /// <summary>The data normalization the model was trained with.</summary>
    Normalization Normalization { get; }

    /// <summary>What the model was trained on; null for a checkpoint written before contracts were recorded.</summary>
    DataContract? Contract { get; }

    /// <summary>The HR height and width must be multiples of this (1: any size).</summary>
    int SizeMultiple { get; }

    /// <summary>The engine and its version, for messages.</summary>
    string Engine { get; }

    /// <summary>HR LST in Kelvin (B x H x W, contiguous) of a batch: LR LST in Kelvin and normalized guidance, each
    /// sample with its own MoCoLSK kernel.</summary>
    /// <exception cref="Core.Errors.UsageException">Tiles whose sides are not multiples of <see cref="SizeMultiple"/>.</exception>
    float[] Predict(TileBatch batch);
}

/// <summary>Opens a model file for prediction with the engine its format needs.</summary>
public static class Downscalers
{
    /// <summary>Opens <paramref name="path"/>: an ONNX model (<c>.onnx</c>) with ONNX Runtime, anything else (lstpipe
    /// safetensors, a PyTorch <c>.pth</c>) with TorchSharp, in evaluation mode.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="device"><c>cpu</c> or <c>cuda</c> (TorchSharp only; ONNX Runtime runs on the CPU).</param>
    /// <param name="precision">The body's type (TorchSharp only; an ONNX graph runs in the float32 it was written in).</param>
    /// <param name="threads">Intra-op threads; null: <c>LSTPIPE_THREADS</c> or every core, as for TorchSharp.</param>
    /// <exception cref="Core.Errors.UsageException">A device or precision the file's engine does not offer.</exception>
    /// <exception cref="Core.Errors.DataException">The file is not a model lstpipe reads.</exception>
    public static IDownscaler Open(string path, string device, Precision precision, int? threads)
    {
        RequireFile(path);
        if (OnnxDownscaler.IsOnnx(path))
        {
            if (device != "cpu")
            {
                throw new Core.Errors.UsageException($"--device {device}: {path} is an ONNX model, which lstpipe runs with ONNX " +
                    $"Runtime on the CPU; use --device cpu, or the .safetensors it was converted from on {device}");
            }

            if (precision != Precision.Fp32)
            {
                throw new Core.Errors.UsageException($"--precision {precision.ToString().ToLowerInvariant()}: {path} is an ONNX " +
                    $"model, which runs in the float32 its graph holds; use --precision fp32, or the .safetensors it was " +
                    $"converted from");
            }

            return OnnxDownscaler.Load(path, threads);
        }

        CheckPrecision(precision, device, Core.Native.CpuFeatures.Current);
        var model = Downscaler.Load(path).To(TorchSetup.ParseDevice(device)).UsePrecision(precision);
        model.Net.eval();
        return model;
    }

    /// <summary>Refuses bfloat16 on a CPU that only emulates it: libtorch then runs it many times slower than float32
    /// (a 512 x 512 predict of a small MoCoLSK took over 400 s against 11 s on an AVX2-only AMD EPYC).</summary>
    /// <exception cref="Core.Errors.UsageException">bf16 asked of a CPU without AVX512-BF16 or AMX-BF16.</exception>
    public static void CheckPrecision(Precision precision, string device, Core.Native.CpuFeatures cpu)
    {
        if (precision == Precision.Bf16 && device == "cpu" && !cpu.NativeBf16)
        {
            throw new Core.Errors.UsageException($"--precision bf16: this CPU ({cpu.Model}) has no native bfloat16 (no avx512_bf16 " +
                $"or amx_bf16 flag), so libtorch would emulate it, tens of times slower than float32; use --precision fp32 (the " +
                $"default), or a CPU with AVX512-BF16 or AMX");
        }
    }

    /// <summary>Refuses a model path that names a device, a FIFO or a socket (reading <c>/dev/zero</c> never ends).</summary>
    /// <exception cref="Core.Errors.UsageException">The path is not a regular file.</exception>
    internal static void RequireFile(string path)
    {
        if (Core.IO.FileKind.Special(path) is { } kind)
        {
            throw new Core.Errors.UsageException($"{path}: not a regular file ({kind}); give a checkpoint file (.safetensors, " +
                $".pth or .onnx)");
        }
    }
}
