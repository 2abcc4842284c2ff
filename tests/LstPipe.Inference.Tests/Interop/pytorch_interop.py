"""PyTorch side of the interoperability tests, under /usr/bin/python3 (PyTorch 1.13), with the MoCoLSK of
bench/train/mocolsk_reference.py (written from GROKLST.md, original parameter names).

  pytorch_interop.py forward CKPT.safetensors IO.safetensors SCALE F N R MEAN STD
      loads an lstpipe checkpoint strictly into the reference network, runs it on IO's inputs (input.lr_lst,
      input.hr_guidance) and writes IO.out.safetensors with output.sr_lst
  pytorch_interop.py pth OUT.pth KIND SCALE F N R MEAN STD SEED
      writes a reference network's weights (seeded) as KIND: 'plain' (a state dict) or 'mmagic' (a runner checkpoint:
      meta, state_dict under 'generator.', message_hub holding an object of a class defined only in this script,
      optimizer), and OUT.pth.safetensors with the same weights, for the C# side to compare
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "bench", "train"))
from mocolsk_reference import MoCoLsk, load_safetensors, save_safetensors  # noqa: E402


class MessageHub:
    """Stands in for mmengine's MessageHub: a class the C# reader cannot know."""

    def __init__(self):
        self.log_scalars = {"train/loss": [0.5, 0.4]}
        self.runtime_info = {"iter": 10000, "epoch": 0}


def build(args):
    scale, f, n, r = (int(a) for a in args[:4])
    mean, std = float(args[4]), float(args[5])
    return MoCoLsk(scale, f=f, n=n, r=r, mean=mean, std=std)


if __name__ == "__main__":
    torch.set_num_threads(1)
    if sys.argv[1] == "forward":
        net = build(sys.argv[4:10])
        net.load_state_dict(load_safetensors(sys.argv[2]), strict=True)
        io = load_safetensors(sys.argv[3])
        with torch.no_grad():
            sr = net(io["input.lr_lst"], io["input.hr_guidance"])
        save_safetensors(sys.argv[3] + ".out.safetensors", {"output.sr_lst": sr})
    elif sys.argv[1] == "pth":
        out, kind = sys.argv[2], sys.argv[3]
        torch.manual_seed(int(sys.argv[10]))
        net = build(sys.argv[4:10])
        sd = net.state_dict()
        if kind == "plain":
            torch.save(sd, out)
        else:
            opt = torch.optim.AdamW(net.parameters(), lr=1e-4)
            torch.save({
                "meta": {"mmengine_version": "0.10.3", "epoch": 0, "iter": 10000, "seed": 2024},
                "state_dict": {"generator." + k: v for k, v in sd.items()},
                "message_hub": MessageHub(),
                "optimizer": opt.state_dict(),
            }, out)
        save_safetensors(out + ".safetensors", sd)
