"""Golden tensors for the MoCoLSK tests, from the PyTorch reference of bench/train/mocolsk_reference.py (written from
GROKLST.md, original parameter names), under /usr/bin/python3 (PyTorch 1.13). Same layout as ../shared/golden:
param.* (weights before training), input.lr_lst / input.hr_guidance / input.hr_lst, output.sr_lst, output.l1_loss,
and at x2 grad.* (every parameter that gets one; none under dynamic_mlp) and step1.* (one AdamW step: lr 1e-4,
weight decay 1e-5); metadata: the config and the GrokLST metrics of tile 0.
The target keeps every pixel at least 0.05 K from the prediction, so the L1 gradient has no ties; grad.* and step1.*
come from a float64 copy of the net (PyTorch's float32 gradients were measured up to 1.6e-3 of a tensor's largest
value from the float64 ones, more than the tests allow), then are stored as float32.
Usage: make_golden.py OUT_FOLDER [SEED]   writes mocolsk_x{2,4,8}_small.safetensors
"""
import copy
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench", "train"))
from mocolsk_reference import MoCoLsk, save_safetensors  # noqa: E402

STD = {2: 14.73, 4: 14.68, 8: 14.59}


def metrics(gt, pred):
    gt, pred = gt.double().flatten(), pred.double().flatten()
    d = pred - gt
    cc = ((gt - gt.mean()) * (pred - pred.mean())).mean() / (((gt - gt.mean()) ** 2).mean().sqrt() * ((pred - pred.mean()) ** 2).mean().sqrt() + 1e-12)
    sg, sp = gt.std(unbiased=True), pred.std(unbiased=True)
    return {"RMSE": d.pow(2).mean().sqrt().item(), "MAE": d.abs().mean().item(), "BIAS": d.mean().item(), "CC": cc.item(), "RSD": ((sg - sp).abs() / (sg + 1e-12)).item()}


def main(out, seed):
    torch.set_num_threads(1)
    os.makedirs(out, exist_ok=True)
    for scale in (2, 4, 8):
        torch.manual_seed(seed + scale)
        net = MoCoLsk(scale, f=8, n=1, r=4, std=STD[scale])
        params = {k: v.clone() for k, v in net.state_dict().items()}
        lr = torch.randn(2, 1, 48 // scale, 48 // scale) * 6 + 285
        gui = torch.randn(2, 10, 48, 48)
        sr = net(lr, gui)
        gap = torch.randn(2, 1, 48, 48) * 6 + 285 - sr.detach()
        hr = sr.detach() + torch.where(gap < 0, -1.0, 1.0) * gap.abs().clamp(min=0.05)  # no L1 ties: |sr - hr| >= 0.05 K
        loss = F.l1_loss(sr, hr)
        tensors = {"param." + k: v for k, v in params.items()}
        tensors.update({"input.lr_lst": lr, "input.hr_guidance": gui, "input.hr_lst": hr, "output.sr_lst": sr, "output.l1_loss": loss.reshape(1)})
        if scale == 2:
            net64 = copy.deepcopy(net).double()
            opt = torch.optim.AdamW(net64.parameters(), lr=1e-4, weight_decay=1e-5)
            F.l1_loss(net64(lr.double(), gui.double()), hr.double()).backward()
            tensors.update({"grad." + k: p.grad.float() for k, p in net64.named_parameters() if p.grad is not None})
            opt.step()
            tensors.update({"step1." + k: v.float() for k, v in net64.state_dict().items()})
        meta = {"num_feats": "8", "n_resblocks": "1", "num_stages": "4", "reduction": "4", "kernel_size": "3", "mocolsk_kernel_size": "3",
                "gui_channels": "10", "scale": str(scale), "torch": torch.__version__, "source": "tests/golden/make_golden.py",
                "metrics_tile0": json.dumps(metrics(hr[0], sr[0].detach()))}
        save_safetensors(os.path.join(out, f"mocolsk_x{scale}_small.safetensors"), tensors, meta)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)
