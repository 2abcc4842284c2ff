"""An independent PyTorch FDSR, written from the paper's description (He et al., CVPR 2021) and GrokLST's
configuration, to check lstpipe's network: it loads lstpipe's weights strictly, runs the inputs stored beside them,
and writes the output and the L1 loss gradients as safetensors (none for the parameters the output does not
depend on: the last octave convolution's low-frequency paths).

usage: /usr/bin/python3 fdsr_reference.py IN.safetensors OUT.safetensors SCALE MEAN STD
"""
import json
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def lrelu(x):
    return F.leaky_relu(x, 0.2)


class MSRB(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1)
        self.conv2 = nn.Conv2d(c, c, 3, padding=2, dilation=2)
        self.conv4 = nn.Conv2d(c, c, 1)

    def forward(self, x):
        return self.conv4(lrelu(self.conv1(x)) + lrelu(self.conv2(x))) + x


class Octave(nn.Module):
    def __init__(self, cin, cout, a_in, a_out):
        super().__init__()
        li, lo = int(a_in * cin), int(a_out * cout)
        self.conv_l2l = nn.Conv2d(li, lo, 3, padding=1, bias=False) if li and lo else None
        self.conv_l2h = nn.Conv2d(li, cout - lo, 3, padding=1, bias=False) if li else None
        self.conv_h2l = nn.Conv2d(cin - li, lo, 3, padding=1, bias=False) if lo else None
        self.conv_h2h = nn.Conv2d(cin - li, cout - lo, 3, padding=1, bias=False)

    def forward(self, hl):
        h, l = hl
        out_h = self.conv_h2h(h)
        out_l = self.conv_h2l(F.avg_pool2d(h, 2)) if self.conv_h2l is not None else None
        if l is not None:
            out_h = out_h + F.interpolate(self.conv_l2h(l), scale_factor=2, mode="nearest")
            out_l = out_l + self.conv_l2l(l)
        return lrelu(out_h), lrelu(out_l)


class OctaveAct(nn.Module):
    def __init__(self, *args):
        super().__init__()
        self.conv = Octave(*args)

    def forward(self, hl):
        return self.conv(hl)


class FDSR(nn.Module):
    def __init__(self, scale, gui, mean, std, f=32):
        super().__init__()
        self.scale, self.mean, self.std = scale, mean, std
        hi = f - f // 4
        self.conv_rgb1 = nn.Conv2d(gui * 16, f, 3, padding=1)
        self.rgb_cbl2 = OctaveAct(f, f, 0, 0.25)
        self.rgb_cbl3 = OctaveAct(f, f, 0.25, 0.25)
        self.rgb_cbl4 = OctaveAct(f, f, 0.25, 0.25)
        self.conv_dp1 = nn.Conv2d(16, f, 3, padding=1)
        self.MSB1, self.MSB2, self.MSB3, self.MSB4 = (MSRB(f + i * hi) for i in range(4))
        self.conv_recon1 = nn.Conv2d(f + 3 * hi, 4 * f, 3, padding=1)
        self.conv_recon2 = nn.Conv2d(f, 4 * f, 3, padding=1)
        self.restore = nn.Conv2d(f, 1, 3, padding=1)

    def forward(self, lst, gui):
        up = F.interpolate((lst - self.mean) / self.std, scale_factor=self.scale, mode="bicubic", align_corners=False)
        d = self.MSB1(lrelu(self.conv_dp1(F.pixel_unshuffle(up, 4))))
        g = self.rgb_cbl2((lrelu(self.conv_rgb1(F.pixel_unshuffle(gui, 4))), None))
        d = self.MSB2(torch.cat([d, g[0]], 1))
        g = self.rgb_cbl3(g)
        d = self.MSB3(torch.cat([d, g[0]], 1))
        g = self.rgb_cbl4(g)
        d = self.MSB4(torch.cat([d, g[0]], 1))
        x = F.pixel_shuffle(self.conv_recon1(lrelu(d)), 2)
        x = F.pixel_shuffle(self.conv_recon2(x), 2)
        return (self.restore(x) + up) * self.std + self.mean


def load(path):
    with open(path, "rb") as fh:
        n = struct.unpack("<Q", fh.read(8))[0]
        header = json.loads(fh.read(n))
        data = fh.read()
    return {k: torch.frombuffer(bytearray(data[v["data_offsets"][0]:v["data_offsets"][1]]), dtype=torch.float32).reshape(v["shape"])
            for k, v in header.items() if k != "__metadata__"}


def save(path, tensors):
    header, blobs, offset = {}, [], 0
    for k, t in tensors.items():
        b = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[k] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


if __name__ == "__main__":
    torch.set_num_threads(1)
    t = load(sys.argv[1])
    scale, mean, std = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
    lst, gui, target = t.pop("input.lr_lst"), t.pop("input.hr_guidance"), t.pop("input.hr_lst")
    net = FDSR(scale, gui.shape[1], mean, std)
    net.load_state_dict(t, strict=True)
    out = net(lst, gui)
    loss = F.l1_loss(out, target)
    loss.backward()
    result = {"output.sr_lst": out, "output.l1_loss": loss.reshape(1)}
    result.update({"grad." + k: p.grad for k, p in net.named_parameters() if p.grad is not None})
    save(sys.argv[2], result)
