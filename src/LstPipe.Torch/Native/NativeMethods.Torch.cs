using System.Runtime.InteropServices;

namespace LstPipe.Torch.Native;

/// <summary>The C ABI of the project's libtorch shim (<c>native/src/lstorch.cpp</c>). Every entry point it exports is
/// declared here; a null handle or a nonzero status means failure, with the message in <see cref="lt_last_error"/>.</summary>
internal static unsafe partial class NativeMethods
{
    private const string Lib = "lstorch";

    [LibraryImport(Lib)] internal static partial nint lt_last_error();
    [LibraryImport(Lib)] internal static partial void lt_clear_error();
    [LibraryImport(Lib)] internal static partial void lt_free(nint t);
    [LibraryImport(Lib)] internal static partial int lt_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int lt_get_num_threads();
    [LibraryImport(Lib)] internal static partial int lt_cuda_available();
    [LibraryImport(Lib)] internal static partial int lt_manual_seed(ulong seed);
    [LibraryImport(Lib)] internal static partial nint lt_version();
    [LibraryImport(Lib)] internal static partial int lt_grad_mode_set(int enabled);

    [LibraryImport(Lib)] internal static partial nint lt_from_data(void* data, long* shape, int ndim, int dtype, int requiresGrad);
    [LibraryImport(Lib)] internal static partial nint lt_create(int kind, long* shape, int ndim, int dtype, int device, int requiresGrad, double value);
    [LibraryImport(Lib)] internal static partial nint lt_arange(double start, double end, double step, int dtype);
    [LibraryImport(Lib)] internal static partial int lt_ndim(nint t);
    [LibraryImport(Lib)] internal static partial int lt_shape(nint t, long* shape);
    [LibraryImport(Lib)] internal static partial int lt_dtype(nint t);
    [LibraryImport(Lib)] internal static partial int lt_device(nint t);
    [LibraryImport(Lib)] internal static partial long lt_numel(nint t);
    [LibraryImport(Lib)] internal static partial int lt_copy_to(nint t, void* output, long bytes);
    [LibraryImport(Lib)] internal static partial int lt_copy_from(nint t, void* data, long bytes);
    [LibraryImport(Lib)] internal static partial double lt_item(nint t, out int status);

    [LibraryImport(Lib)] internal static partial int lt_requires_grad(nint t);
    [LibraryImport(Lib)] internal static partial int lt_set_requires_grad(nint t, int on);
    [LibraryImport(Lib)] internal static partial nint lt_grad(nint t);
    [LibraryImport(Lib)] internal static partial int lt_zero_grad(nint t);
    [LibraryImport(Lib)] internal static partial int lt_backward(nint t, nint gradient, int retainGraph);
    [LibraryImport(Lib)] internal static partial nint lt_detach(nint t);
    [LibraryImport(Lib)] internal static partial nint lt_clone(nint t);
    [LibraryImport(Lib)] internal static partial nint lt_to(nint t, int dtype, int device);
    [LibraryImport(Lib)] internal static partial int lt_set_data(nint t, nint source);
    [LibraryImport(Lib)] internal static partial nint lt_contiguous(nint t);

    [LibraryImport(Lib)] internal static partial nint lt_unary(int op, nint a);
    [LibraryImport(Lib)] internal static partial nint lt_binary(int op, nint a, nint b);
    [LibraryImport(Lib)] internal static partial nint lt_binary_scalar(int op, nint a, double s);
    [LibraryImport(Lib)] internal static partial int lt_inplace(int op, nint a, nint b, nint c, double s);
    [LibraryImport(Lib)] internal static partial nint lt_clamp(nint a, double lo, double hi, int hasLo, int hasHi);
    [LibraryImport(Lib)] internal static partial nint lt_where(nint cond, nint a, nint b);
    [LibraryImport(Lib)] internal static partial nint lt_leaky_relu(nint a, double slope);
    [LibraryImport(Lib)] internal static partial nint lt_prelu(nint a, nint w);
    [LibraryImport(Lib)] internal static partial nint lt_softmax(nint a, long dim);
    [LibraryImport(Lib)] internal static partial nint lt_log_softmax(nint a, long dim);

    [LibraryImport(Lib)] internal static partial nint lt_reshape(nint a, long* shape, int n);
    [LibraryImport(Lib)] internal static partial nint lt_view(nint a, long* shape, int n);
    [LibraryImport(Lib)] internal static partial nint lt_permute(nint a, long* order, int n);
    [LibraryImport(Lib)] internal static partial nint lt_transpose(nint a, long d0, long d1);
    [LibraryImport(Lib)] internal static partial nint lt_unsqueeze(nint a, long d);
    [LibraryImport(Lib)] internal static partial nint lt_squeeze(nint a, long d, int all);
    [LibraryImport(Lib)] internal static partial nint lt_narrow(nint a, long d, long start, long length);
    [LibraryImport(Lib)] internal static partial nint lt_expand(nint a, long* shape, int n);
    [LibraryImport(Lib)] internal static partial nint lt_flatten(nint a, long start, long end);
    [LibraryImport(Lib)] internal static partial nint lt_cat(nint* tensors, int n, long dim);
    [LibraryImport(Lib)] internal static partial nint lt_stack(nint* tensors, int n, long dim);

    [LibraryImport(Lib)] internal static partial nint lt_reduce(int op, nint a, long* dims, int n, int keepdim);
    [LibraryImport(Lib)] internal static partial nint lt_argmax(nint a, long dim, int keepdim);

    [LibraryImport(Lib)] internal static partial nint lt_conv2d(nint x, nint w, nint b, long* stride, long* padding, long* dilation, long groups);
    [LibraryImport(Lib)] internal static partial nint lt_conv_transpose2d(nint x, nint w, nint b, long* stride, long* padding, long* outputPadding, long* dilation, long groups);
    [LibraryImport(Lib)] internal static partial nint lt_linear(nint x, nint w, nint b);
    [LibraryImport(Lib)] internal static partial nint lt_layer_norm(nint x, long* shape, int n, nint w, nint b, double eps);
    [LibraryImport(Lib)] internal static partial nint lt_adaptive_avg_pool2d(nint x, long oh, long ow);
    [LibraryImport(Lib)] internal static partial nint lt_avg_pool2d(nint x, long* kernel, long* stride, long* padding, int ceilMode, int countIncludePad);
    [LibraryImport(Lib)] internal static partial nint lt_max_pool2d(nint x, long* kernel, long* stride, long* padding);
    [LibraryImport(Lib)] internal static partial nint lt_interpolate(nint x, long oh, long ow, int mode, int alignCorners);
    [LibraryImport(Lib)] internal static partial nint lt_pixel_shuffle(nint x, long r);
    [LibraryImport(Lib)] internal static partial nint lt_pixel_unshuffle(nint x, long r);
    [LibraryImport(Lib)] internal static partial nint lt_dropout(nint x, double p, int train);
    [LibraryImport(Lib)] internal static partial nint lt_loss(int kind, nint prediction, nint target, int reduction, double beta);
    [LibraryImport(Lib)] internal static partial int lt_init(int kind, nint t, double a, double b);
}
