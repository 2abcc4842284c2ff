"""PyTorch peer of bench/TorchBench: the same conv forward+backward and tiny-op loop, same thread count.
usage: /usr/bin/python3 peer_torch.py THREADS  -> one JSON line."""
import json
import sys
import time

import torch
import torch.nn.functional as F

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
torch.set_num_threads(threads)
torch.manual_seed(0)
x = torch.randn(4, 64, 128, 128)
w = torch.randn(64, 64, 3, 3, requires_grad=True)
b = torch.randn(64, requires_grad=True)


def conv_step():
    t = time.perf_counter()
    y = F.conv2d(x, w, b, padding=1)
    y.mean().backward()
    w.grad = None
    b.grad = None
    return (time.perf_counter() - t) * 1000


for _ in range(3):
    conv_step()
conv = sorted(conv_step() for _ in range(10))

a = torch.randn(1)


def tiny_block(n):
    t = time.perf_counter()
    for _ in range(n):
        c = a + a
    return (time.perf_counter() - t) * 1e6 / n


tiny_block(2000)
tiny = sorted(tiny_block(10000) for _ in range(7))
print(json.dumps({"tool": "pytorch", "threads": threads, "conv_ms": round(conv[len(conv) // 2], 2), "tiny_us": round(tiny[len(tiny) // 2], 2)}))
