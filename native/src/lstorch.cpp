// lstorch: a small C ABI over libtorch for the lstpipe C# tensor layer.
// Every entry point catches every C++ exception and reports it through lt_last_error(); a call that fails returns
// a null handle or a nonzero status. Tensor handles are heap-allocated at::Tensor objects freed by lt_free.
#include <torch/torch.h>
#include <ATen/Parallel.h>

#include <cstring>
#include <string>
#include <vector>

#define LT_API extern "C" __attribute__((visibility("default")))

namespace {
thread_local std::string last_error;

using T = at::Tensor;

T* wrap(T t) { return new T(std::move(t)); }

// Runs f, turning any C++ exception into last_error; true when f completed.
template <typename F>
bool run(F&& f) {
  try {
    f();
    return true;
  } catch (const c10::Error& e) {
    last_error = e.what_without_backtrace();
  } catch (const std::exception& e) {
    last_error = e.what();
  } catch (...) {
    last_error = "unknown C++ exception";
  }
  return false;
}

template <typename F>
T* guard(F&& f) {
  T* out = nullptr;
  run([&] { out = wrap(f()); });
  return out;
}

template <typename F>
int guard_status(F&& f) {
  return run(std::forward<F>(f)) ? 0 : 1;
}

c10::ScalarType dtype_of(int code) {
  switch (code) {
    case 0: return at::kFloat;
    case 1: return at::kDouble;
    case 2: return at::kLong;
    case 3: return at::kBool;
    case 4: return at::kInt;
    default: throw std::invalid_argument("unknown dtype code " + std::to_string(code));
  }
}

int code_of(c10::ScalarType t) {
  switch (t) {
    case at::kFloat: return 0;
    case at::kDouble: return 1;
    case at::kLong: return 2;
    case at::kBool: return 3;
    case at::kInt: return 4;
    default: return -1;
  }
}

at::Device device_of(int code) { return code == 1 ? at::Device(at::kCUDA) : at::Device(at::kCPU); }

at::IntArrayRef dims(const int64_t* d, int n) { return at::IntArrayRef(d, static_cast<size_t>(n)); }

at::TensorOptions options(int dtype, int device, bool requires_grad) {
  return at::TensorOptions().dtype(dtype_of(dtype)).device(device_of(device)).requires_grad(requires_grad);
}

c10::optional<T> opt(const T* t) { return t ? c10::optional<T>(*t) : c10::nullopt; }
}  // namespace

// ---- runtime ----------------------------------------------------------------------------------------------------
LT_API const char* lt_last_error() { return last_error.c_str(); }
LT_API void lt_clear_error() { last_error.clear(); }
LT_API void lt_free(T* t) { delete t; }
LT_API int lt_set_num_threads(int n) { return guard_status([&] { at::set_num_threads(n); }); }
LT_API int lt_get_num_threads() { return at::get_num_threads(); }
LT_API int lt_cuda_available() { return torch::cuda::is_available() ? 1 : 0; }
LT_API int lt_manual_seed(uint64_t seed) { return guard_status([&] { torch::manual_seed(seed); }); }
LT_API const char* lt_version() {
  static std::string v = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                         std::to_string(TORCH_VERSION_PATCH);
  return v.c_str();
}

// No-grad scope: returns an opaque guard to pass to lt_grad_mode_restore.
LT_API int lt_grad_mode_set(int enabled) {
  bool previous = at::GradMode::is_enabled();
  at::GradMode::set_enabled(enabled != 0);
  return previous ? 1 : 0;
}

// ---- creation and data ------------------------------------------------------------------------------------------
LT_API T* lt_from_data(const void* data, const int64_t* shape, int ndim, int dtype, int requires_grad) {
  return guard([&] {
    auto t = at::empty(dims(shape, ndim), options(dtype, 0, false));
    if (t.numel() > 0) std::memcpy(t.data_ptr(), data, t.numel() * t.element_size());
    if (requires_grad) t.set_requires_grad(true);
    return t;
  });
}

// kind: 0 zeros, 1 ones, 2 rand, 3 randn, 4 empty, 5 full(value)
LT_API T* lt_create(int kind, const int64_t* shape, int ndim, int dtype, int device, int requires_grad, double value) {
  return guard([&] {
    auto o = options(dtype, device, requires_grad != 0);
    auto s = dims(shape, ndim);
    switch (kind) {
      case 0: return torch::zeros(s, o);
      case 1: return torch::ones(s, o);
      case 2: return torch::rand(s, o);
      case 3: return torch::randn(s, o);
      case 4: return torch::empty(s, o);
      case 5: return torch::full(s, value, o);
      default: throw std::invalid_argument("unknown creation kind");
    }
  });
}

LT_API T* lt_arange(double start, double end, double step, int dtype) {
  return guard([&] { return at::arange(start, end, step, options(dtype, 0, false)); });
}

LT_API int lt_ndim(const T* t) { return static_cast<int>(t->dim()); }
LT_API int lt_shape(const T* t, int64_t* out) {
  for (int64_t i = 0; i < t->dim(); i++) out[i] = t->size(i);
  return static_cast<int>(t->dim());
}
LT_API int lt_dtype(const T* t) { return code_of(t->scalar_type()); }
LT_API int lt_device(const T* t) { return t->is_cuda() ? 1 : 0; }
LT_API int64_t lt_numel(const T* t) { return t->numel(); }

// Copies the elements (row-major) into a host buffer of `bytes` bytes.
LT_API int lt_copy_to(const T* t, void* out, int64_t bytes) {
  return guard_status([&] {
    auto c = t->detach().to(at::kCPU).contiguous();
    auto need = c.numel() * c.element_size();
    if (need != bytes) throw std::invalid_argument("buffer holds " + std::to_string(bytes) + " bytes, tensor " + std::to_string(need));
    if (need > 0) std::memcpy(out, c.data_ptr(), need);
  });
}

// Copies host data into an existing tensor in place (no autograd), shapes must match in element count.
LT_API int lt_copy_from(T* t, const void* data, int64_t bytes) {
  return guard_status([&] {
    at::NoGradGuard g;
    auto need = t->numel() * t->element_size();
    if (need != bytes) throw std::invalid_argument("buffer holds " + std::to_string(bytes) + " bytes, tensor " + std::to_string(need));
    auto host = at::from_blob(const_cast<void*>(data), t->sizes(), at::TensorOptions().dtype(t->scalar_type()));
    t->copy_(host);
  });
}

LT_API double lt_item(const T* t, int* status) {
  try {
    *status = 0;
    return t->item<double>();
  } catch (const std::exception& e) {
    last_error = e.what();
    *status = 1;
    return 0;
  }
}

// ---- autograd ---------------------------------------------------------------------------------------------------
LT_API int lt_requires_grad(const T* t) { return t->requires_grad() ? 1 : 0; }
LT_API int lt_set_requires_grad(T* t, int on) { return guard_status([&] { t->set_requires_grad(on != 0); }); }
LT_API T* lt_grad(const T* t) {
  if (!t->grad().defined()) return nullptr;
  return guard([&] { return t->grad(); });
}
LT_API int lt_zero_grad(T* t) {
  return guard_status([&] {
    if (t->grad().defined()) t->mutable_grad() = T();
  });
}
LT_API int lt_backward(T* t, const T* gradient, int retain_graph) {
  return guard_status([&] { t->backward(gradient ? *gradient : T(), retain_graph != 0); });
}
LT_API T* lt_detach(const T* t) { return guard([&] { return t->detach(); }); }
LT_API T* lt_clone(const T* t) { return guard([&] { return t->clone(); }); }
LT_API T* lt_to(const T* t, int dtype, int device) {
  return guard([&] { return t->to(device_of(device), dtype_of(dtype)); });
}
LT_API T* lt_contiguous(const T* t) { return guard([&] { return t->contiguous(); }); }
// Replaces a tensor's data (storage, dtype, device) in place, keeping the object and its requires_grad, as
// `param.data = ...`: how a module moves its parameters without changing the handles its layers hold.
LT_API int lt_set_data(T* t, const T* source) { return guard_status([&] { t->set_data(*source); }); }

// ---- element-wise -----------------------------------------------------------------------------------------------
// 0 neg 1 abs 2 sqrt 3 exp 4 log 5 sigmoid 6 tanh 7 relu 8 gelu 9 square 10 reciprocal 11 sign 12 floor 13 rsqrt
// 14 sin 15 cos
LT_API T* lt_unary(int op, const T* a) {
  return guard([&]() -> T {
    switch (op) {
      case 0: return at::neg(*a);
      case 1: return at::abs(*a);
      case 2: return at::sqrt(*a);
      case 3: return at::exp(*a);
      case 4: return at::log(*a);
      case 5: return at::sigmoid(*a);
      case 6: return at::tanh(*a);
      case 7: return at::relu(*a);
      case 8: return at::gelu(*a);
      case 9: return at::square(*a);
      case 10: return at::reciprocal(*a);
      case 11: return at::sign(*a);
      case 12: return at::floor(*a);
      case 13: return at::rsqrt(*a);
      case 14: return at::sin(*a);
      case 15: return at::cos(*a);
      default: throw std::invalid_argument("unknown unary op " + std::to_string(op));
    }
  });
}

// 0 add 1 sub 2 mul 3 div 4 pow 5 maximum 6 minimum 7 matmul 8 bmm 9 eq 10 gt 11 lt 12 ge 13 le
LT_API T* lt_binary(int op, const T* a, const T* b) {
  return guard([&]() -> T {
    switch (op) {
      case 0: return at::add(*a, *b);
      case 1: return at::sub(*a, *b);
      case 2: return at::mul(*a, *b);
      case 3: return at::div(*a, *b);
      case 4: return at::pow(*a, *b);
      case 5: return at::maximum(*a, *b);
      case 6: return at::minimum(*a, *b);
      case 7: return at::matmul(*a, *b);
      case 8: return at::bmm(*a, *b);
      case 9: return at::eq(*a, *b);
      case 10: return at::gt(*a, *b);
      case 11: return at::lt(*a, *b);
      case 12: return at::ge(*a, *b);
      case 13: return at::le(*a, *b);
      default: throw std::invalid_argument("unknown binary op " + std::to_string(op));
    }
  });
}

// Same codes as lt_binary for 0-4 with a scalar right operand; 5 rsub (s - a), 6 rdiv (s / a).
LT_API T* lt_binary_scalar(int op, const T* a, double s) {
  return guard([&]() -> T {
    switch (op) {
      case 0: return at::add(*a, s);
      case 1: return at::sub(*a, s);
      case 2: return at::mul(*a, s);
      case 3: return at::div(*a, s);
      case 4: return at::pow(*a, s);
      case 5: return at::rsub(*a, s);
      case 6: return at::mul(at::reciprocal(*a), s);
      case 9: return at::eq(*a, s);
      case 10: return at::gt(*a, s);
      case 11: return at::lt(*a, s);
      default: throw std::invalid_argument("unknown scalar op " + std::to_string(op));
    }
  });
}

// In place, without autograd (for optimizers): 0 mul_(s) 1 add_(b, alpha=s) 2 addcmul_(b, c, value=s)
// 3 addcdiv_(b, c, value=s) 4 copy_(b) 5 zero_() 6 add_(s) 7 sqrt_() 8 div_(s) 9 lerp_(b, s) 10 mul_(b) 11 clamp_min_(s)
LT_API int lt_inplace(int op, T* a, const T* b, const T* c, double s) {
  return guard_status([&] {
    at::NoGradGuard g;
    switch (op) {
      case 0: a->mul_(s); break;
      case 1: a->add_(*b, s); break;
      case 2: a->addcmul_(*b, *c, s); break;
      case 3: a->addcdiv_(*b, *c, s); break;
      case 4: a->copy_(*b); break;
      case 5: a->zero_(); break;
      case 6: a->add_(s); break;
      case 7: a->sqrt_(); break;
      case 8: a->div_(s); break;
      case 9: a->lerp_(*b, s); break;
      case 10: a->mul_(*b); break;
      case 11: a->clamp_min_(s); break;
      default: throw std::invalid_argument("unknown in-place op " + std::to_string(op));
    }
  });
}

LT_API T* lt_clamp(const T* a, double lo, double hi, int has_lo, int has_hi) {
  return guard([&] {
    return at::clamp(*a, has_lo ? c10::optional<at::Scalar>(lo) : c10::nullopt, has_hi ? c10::optional<at::Scalar>(hi) : c10::nullopt);
  });
}
LT_API T* lt_where(const T* cond, const T* a, const T* b) { return guard([&] { return at::where(*cond, *a, *b); }); }
LT_API T* lt_leaky_relu(const T* a, double slope) { return guard([&] { return at::leaky_relu(*a, slope); }); }
LT_API T* lt_prelu(const T* a, const T* w) { return guard([&] { return at::prelu(*a, *w); }); }
LT_API T* lt_softmax(const T* a, int64_t dim) { return guard([&] { return at::softmax(*a, dim); }); }
LT_API T* lt_log_softmax(const T* a, int64_t dim) { return guard([&] { return at::log_softmax(*a, dim); }); }

// ---- shape ------------------------------------------------------------------------------------------------------
LT_API T* lt_reshape(const T* a, const int64_t* shape, int n) { return guard([&] { return a->reshape(dims(shape, n)); }); }
LT_API T* lt_view(const T* a, const int64_t* shape, int n) { return guard([&] { return a->view(dims(shape, n)); }); }
LT_API T* lt_permute(const T* a, const int64_t* order, int n) { return guard([&] { return a->permute(dims(order, n)); }); }
LT_API T* lt_transpose(const T* a, int64_t d0, int64_t d1) { return guard([&] { return a->transpose(d0, d1); }); }
LT_API T* lt_unsqueeze(const T* a, int64_t d) { return guard([&] { return a->unsqueeze(d); }); }
LT_API T* lt_squeeze(const T* a, int64_t d, int all) { return guard([&] { return all ? a->squeeze() : a->squeeze(d); }); }
LT_API T* lt_narrow(const T* a, int64_t d, int64_t start, int64_t len) { return guard([&] { return a->narrow(d, start, len); }); }
LT_API T* lt_expand(const T* a, const int64_t* shape, int n) { return guard([&] { return a->expand(dims(shape, n)); }); }
LT_API T* lt_flatten(const T* a, int64_t start, int64_t end) { return guard([&] { return a->flatten(start, end); }); }
LT_API T* lt_cat(T* const* ts, int n, int64_t dim) {
  return guard([&] {
    std::vector<T> v;
    v.reserve(n);
    for (int i = 0; i < n; i++) v.push_back(*ts[i]);
    return at::cat(v, dim);
  });
}
LT_API T* lt_stack(T* const* ts, int n, int64_t dim) {
  return guard([&] {
    std::vector<T> v;
    for (int i = 0; i < n; i++) v.push_back(*ts[i]);
    return at::stack(v, dim);
  });
}

// ---- reductions -------------------------------------------------------------------------------------------------
// 0 sum 1 mean 2 amax 3 amin 4 var(unbiased=false) 5 std(unbiased=false); n = 0 reduces every dimension.
LT_API T* lt_reduce(int op, const T* a, const int64_t* d, int n, int keepdim) {
  return guard([&]() -> T {
    bool all = n == 0;
    std::vector<int64_t> every;
    if (all) for (int64_t i = 0; i < a->dim(); i++) every.push_back(i);
    at::IntArrayRef r = all ? at::IntArrayRef(every) : dims(d, n);
    switch (op) {
      case 0: return all && !keepdim ? at::sum(*a) : at::sum(*a, r, keepdim != 0);
      case 1: return all && !keepdim ? at::mean(*a) : at::mean(*a, r, keepdim != 0);
      case 2: return at::amax(*a, r, keepdim != 0);
      case 3: return at::amin(*a, r, keepdim != 0);
      case 4: return at::var(*a, r, false, keepdim != 0);
      case 5: return at::std(*a, r, false, keepdim != 0);
      default: throw std::invalid_argument("unknown reduction " + std::to_string(op));
    }
  });
}
LT_API T* lt_argmax(const T* a, int64_t dim, int keepdim) { return guard([&] { return at::argmax(*a, dim, keepdim != 0); }); }

// ---- neural network ---------------------------------------------------------------------------------------------
LT_API T* lt_conv2d(const T* x, const T* w, const T* b, const int64_t* stride, const int64_t* padding,
                    const int64_t* dilation, int64_t groups) {
  return guard([&] { return at::conv2d(*x, *w, opt(b), dims(stride, 2), dims(padding, 2), dims(dilation, 2), groups); });
}
LT_API T* lt_conv_transpose2d(const T* x, const T* w, const T* b, const int64_t* stride, const int64_t* padding,
                              const int64_t* output_padding, const int64_t* dilation, int64_t groups) {
  return guard([&] {
    return at::conv_transpose2d(*x, *w, opt(b), dims(stride, 2), dims(padding, 2), dims(output_padding, 2), groups, dims(dilation, 2));
  });
}
LT_API T* lt_linear(const T* x, const T* w, const T* b) { return guard([&] { return at::linear(*x, *w, opt(b)); }); }
LT_API T* lt_layer_norm(const T* x, const int64_t* shape, int n, const T* w, const T* b, double eps) {
  return guard([&] { return at::layer_norm(*x, dims(shape, n), opt(w), opt(b), eps); });
}
LT_API T* lt_adaptive_avg_pool2d(const T* x, int64_t oh, int64_t ow) {
  return guard([&] { return at::adaptive_avg_pool2d(*x, {oh, ow}); });
}
LT_API T* lt_avg_pool2d(const T* x, const int64_t* kernel, const int64_t* stride, const int64_t* padding, int ceil_mode, int count_include_pad) {
  return guard([&] { return at::avg_pool2d(*x, dims(kernel, 2), dims(stride, 2), dims(padding, 2), ceil_mode != 0, count_include_pad != 0); });
}
LT_API T* lt_max_pool2d(const T* x, const int64_t* kernel, const int64_t* stride, const int64_t* padding) {
  return guard([&] { return at::max_pool2d(*x, dims(kernel, 2), dims(stride, 2), dims(padding, 2)); });
}
// mode: 0 nearest, 1 bilinear, 2 bicubic (align_corners applies to 1 and 2)
LT_API T* lt_interpolate(const T* x, int64_t oh, int64_t ow, int mode, int align_corners) {
  return guard([&]() -> T {
    std::vector<int64_t> size{oh, ow};
    switch (mode) {
      case 0: return at::upsample_nearest2d(*x, size);
      case 1: return at::upsample_bilinear2d(*x, size, align_corners != 0);
      case 2: return at::upsample_bicubic2d(*x, size, align_corners != 0);
      default: throw std::invalid_argument("unknown interpolation mode " + std::to_string(mode));
    }
  });
}
LT_API T* lt_pixel_shuffle(const T* x, int64_t r) { return guard([&] { return at::pixel_shuffle(*x, r); }); }
LT_API T* lt_pixel_unshuffle(const T* x, int64_t r) { return guard([&] { return at::pixel_unshuffle(*x, r); }); }
LT_API T* lt_dropout(const T* x, double p, int train) { return guard([&] { return at::dropout(*x, p, train != 0); }); }

// loss: 0 l1 1 mse 2 smooth_l1(beta); reduction: 0 none 1 mean 2 sum
LT_API T* lt_loss(int kind, const T* pred, const T* target, int reduction, double beta) {
  return guard([&]() -> T {
    switch (kind) {
      case 0: return at::l1_loss(*pred, *target, reduction);
      case 1: return at::mse_loss(*pred, *target, reduction);
      case 2: return at::smooth_l1_loss(*pred, *target, reduction, beta);
      default: throw std::invalid_argument("unknown loss " + std::to_string(kind));
    }
  });
}

// ---- initializers (PyTorch's defaults; in place, no autograd) ----------------------------------------------------
// 0 kaiming_uniform_(a) 1 uniform_(lo=a, hi=b) 2 normal_(mean=a, std=b) 3 constant_(a) 4 xavier_uniform_(gain=a)
LT_API int lt_init(int kind, T* t, double a, double b) {
  return guard_status([&] {
    at::NoGradGuard g;
    switch (kind) {
      case 0: torch::nn::init::kaiming_uniform_(*t, a); break;
      case 1: t->uniform_(a, b); break;
      case 2: t->normal_(a, b); break;
      case 3: t->fill_(a); break;
      case 4: torch::nn::init::xavier_uniform_(*t, a); break;
      default: throw std::invalid_argument("unknown initializer " + std::to_string(kind));
    }
  });
}
