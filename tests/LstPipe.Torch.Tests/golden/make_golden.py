"""Golden values for the tensor engine's tests, computed with PyTorch 1.13.1 (Debian python3-torch).

Run with /usr/bin/python3 from this folder: writes ops.safetensors. Every case stores its inputs (`CASE.in.NAME`),
a fixed random cotangent (`CASE.r`), the output (`CASE.out`) and the gradient of sum(out * r) for each input that
requires grad (`CASE.grad.NAME`). Optimizer, initializer, scheduler and generator cases store what they produce.
"""
import json
import math
import struct

import torch
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
out = {}


def put(name, t):
    out[name] = t.detach().contiguous().clone()


def case(name, fn, **inputs):
    leaves = {k: v.clone().requires_grad_(v.is_floating_point()) for k, v in inputs.items()}
    y = fn(**leaves)
    r = torch.randn_like(y)
    (y * r).sum().backward()
    for k, v in inputs.items():
        put(f"{name}.in.{k}", v)
        if leaves[k].grad is not None:
            put(f"{name}.grad.{k}", leaves[k].grad)
    put(f"{name}.r", r)
    put(f"{name}.out", y)


rn = torch.randn
pos = lambda *s: torch.rand(*s) + 0.1

case("conv_groups", lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1, groups=2), x=rn(2, 4, 9, 9), w=rn(6, 2, 3, 3), b=rn(6))
case("conv_dilated", lambda x, w: F.conv2d(x, w, None, stride=1, padding=2, dilation=2), x=rn(1, 3, 8, 8), w=rn(5, 3, 3, 3))
case("conv_transpose", lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1), x=rn(1, 4, 5, 5), w=rn(4, 3, 3, 3), b=rn(3))
case("linear", lambda x, w, b: F.linear(x, w, b), x=rn(3, 7), w=rn(5, 7), b=rn(5))
case("matmul", lambda a, b: a.matmul(b), a=rn(2, 3, 4), b=rn(4, 5))
case("bmm", lambda a, b: a.bmm(b), a=rn(2, 3, 4), b=rn(2, 4, 5))
case("broadcast", lambda a, b: (a + b) * (a - b) / (b * b + 1) + 2.0 * a - 3.0 / (b * b + 1), a=rn(3, 1, 4), b=rn(1, 5, 4))
case("unary", lambda x: torch.cat([x.abs(), x.exp(), x.sigmoid(), x.tanh(), x.relu(), F.leaky_relu(x, 0.2), F.gelu(x),
                                    F.softmax(x, dim=1), x.clamp(-0.5, 0.7), -x, x * x], 0), x=rn(2, 6))
case("positive", lambda x: torch.cat([x.sqrt(), x.log(), x.pow(2.5), x.rsqrt()], 0), x=pos(3, 4))
case("prelu", lambda x, w: F.prelu(x, w), x=rn(2, 3, 4, 4), w=torch.rand(3))
case("layer_norm", lambda x, w, b: F.layer_norm(x, [6], w, b, 1e-5), x=rn(2, 5, 6), w=rn(6), b=rn(6))
case("adaptive_pool", lambda x: F.adaptive_avg_pool2d(x, (3, 2)), x=rn(1, 2, 7, 9))
case("avg_pool", lambda x: F.avg_pool2d(x, 3, 2, 1), x=rn(1, 2, 7, 9))
case("nearest", lambda x: F.interpolate(x, size=(10, 14), mode="nearest"), x=rn(1, 2, 5, 7))
case("bilinear_up", lambda x: F.interpolate(x, size=(10, 14), mode="bilinear", align_corners=False), x=rn(1, 2, 5, 7))
case("bilinear_down", lambda x: F.interpolate(x, size=(3, 4), mode="bilinear", align_corners=False), x=rn(1, 2, 5, 7))
case("bicubic_up", lambda x: F.interpolate(x, scale_factor=4, mode="bicubic", align_corners=False), x=rn(1, 2, 5, 7))
case("pixel_shuffle", lambda x: F.pixel_shuffle(x, 2), x=rn(1, 8, 3, 3))
case("shape", lambda x: torch.cat([x.permute(0, 2, 1).reshape(2, -1), x.narrow(2, 1, 2).reshape(2, -1).repeat(1, 2)[:, :12]], 1), x=rn(2, 3, 4))
case("reduce", lambda x: torch.cat([x.sum(dim=1).flatten(), x.mean(dim=(0, 2), keepdim=True).flatten(), x.amax(dim=2).flatten(),
                                     x.amin(dim=0).flatten(), x.mean().reshape(1), x.sum().reshape(1)]), x=rn(2, 3, 4))
case("l1", lambda p, t: F.l1_loss(p, t).reshape(1), p=rn(3, 4), t=rn(3, 4))
case("mse", lambda p, t: F.mse_loss(p, t).reshape(1), p=rn(3, 4), t=rn(3, 4))
case("smooth_l1", lambda p, t: F.smooth_l1_loss(p, t, beta=0.5).reshape(1), p=rn(3, 4), t=rn(3, 4))

# Optimizers: three steps on a quadratic-plus-sine loss; parameters after each step.
def optimizer_case(name, make):
    p0 = rn(4, 3)
    target = rn(4, 3)
    put(f"{name}.p0", p0)
    put(f"{name}.target", target)
    p = p0.clone().requires_grad_(True)
    opt = make([p])
    for step in range(3):
        opt.zero_grad()
        loss = ((p - target) ** 2).sum() + p.sin().sum()
        loss.backward()
        opt.step()
        put(f"{name}.step{step + 1}", p)


optimizer_case("adamw", lambda ps: torch.optim.AdamW(ps, lr=1e-2, weight_decay=1e-2))
optimizer_case("adam", lambda ps: torch.optim.Adam(ps, lr=1e-2, weight_decay=1e-3))
optimizer_case("sgd", lambda ps: torch.optim.SGD(ps, lr=1e-2, momentum=0.9, weight_decay=1e-3, nesterov=True))

# Default initializers under a seed, in construction order.
torch.manual_seed(123)
modules = {"conv": torch.nn.Conv2d(4, 6, 3), "convt": torch.nn.ConvTranspose2d(4, 6, 3, stride=2), "linear": torch.nn.Linear(7, 5),
           "conv_nobias_groups": torch.nn.Conv2d(4, 8, 3, groups=2, bias=False)}
for m, module in modules.items():
    for n, t in module.state_dict().items():
        put(f"init.{m}.{n}", t)

torch.manual_seed(7)
put("random.rand", torch.rand(3, 4))
put("random.randn", torch.randn(2, 5))

# Cosine annealing with warm restarts (T_0 = 5, eta_min = 1e-7, base 1e-4), 15 iterations.
p = torch.zeros(1, requires_grad=True)
opt = torch.optim.SGD([p], lr=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=5, eta_min=1e-7)
lrs = []
for _ in range(15):
    lrs.append(opt.param_groups[0]["lr"])
    opt.step()
    sched.step()
put("schedule.cosine_restarts", torch.tensor(lrs, dtype=torch.float64))

# safetensors writer (the format: u64 header length, JSON header, data).
header, blobs, offset = {}, [], 0
codes = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}
for name in sorted(out):
    t = out[name]
    data = t.numpy().tobytes()
    header[name] = {"dtype": codes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
    offset += len(data)
    blobs.append(data)
header["__metadata__"] = {"torch": torch.__version__, "script": "make_golden.py"}
h = json.dumps(header).encode()
h += b" " * ((8 - len(h) % 8) % 8)
with open("ops.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(h)))
    f.write(h)
    for b in blobs:
        f.write(b)
print(f"wrote ops.safetensors: {len(out)} tensors, {offset} bytes of data, torch {torch.__version__}")
