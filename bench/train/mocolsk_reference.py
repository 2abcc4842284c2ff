"""MoCoLSK-Net in PyTorch, written for this benchmark from ../shared/GROKLST.md (the architecture section), with the
original parameter names so the golden weights load strictly. It is the peer of the C# model in bench/train/run.sh;
`python3 mocolsk_reference.py --check GOLDEN` compares it with the golden tensors first."""
import json
import os
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv(cin, cout, k=3, bias=True):
    return nn.Conv2d(cin, cout, k, padding=k // 2, bias=bias)


class ChannelAttention(nn.Module):
    def __init__(self, c, r):
        super().__init__()
        self.conv_du = nn.Sequential(nn.Conv2d(c, c // r, 1), nn.ReLU(), nn.Conv2d(c // r, c, 1), nn.Sigmoid())

    def forward(self, x):
        return x * self.conv_du(F.adaptive_avg_pool2d(x, 1))


class Rcab(nn.Module):
    def __init__(self, c, k, r):
        super().__init__()
        self.body = nn.Sequential(conv(c, c, k), nn.LeakyReLU(0.2), conv(c, c, k), ChannelAttention(c, r))

    def forward(self, x):
        return self.body(x) + x


class Group(nn.Module):
    def __init__(self, c, k, r, n):
        super().__init__()
        self.body = nn.Sequential(*[Rcab(c, k, r) for _ in range(n)], conv(c, c, k))

    def forward(self, x):
        return self.body(x) + x


def projection(cin, cout, scale, up):
    k, s, p = {2: (6, 2, 2), 4: (8, 4, 2), 8: (12, 8, 2)}[scale]
    return (nn.ConvTranspose2d if up else nn.Conv2d)(cin, cout, k, stride=s, padding=p)


class Projection(nn.Module):
    def __init__(self, cin, cout, scale, up):
        super().__init__()
        self.conv_1 = nn.Sequential(projection(cin, cout, scale, up), nn.PReLU(cout))
        self.conv_2 = nn.Sequential(projection(cout, cin, scale, not up), nn.PReLU(cin))
        self.conv_3 = nn.Sequential(projection(cin, cout, scale, up), nn.PReLU(cout))

    def forward(self, x):
        a = self.conv_1(x)
        return a + self.conv_3(self.conv_2(a) - x)


class MlpA(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.get_weight = nn.Linear(c, c * c)
        self.norm = nn.LayerNorm(c)

    def forward(self, x, g):
        b, n, _ = g.shape
        w = self.get_weight(g).view(b, n, self.c, self.c)
        return F.relu(self.norm((x.unsqueeze(-2) @ w).squeeze(-2)))


class Wrapper(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dynamic_conv = MlpA(c)


class KernelGenerator(nn.Module):
    def __init__(self, c, k):
        super().__init__()
        out = 4 * k * k
        self.conv1 = nn.Linear(c, c)
        self.conv2 = nn.ModuleList([Wrapper(c)])
        self.conv3 = nn.Linear(c, out)
        self.norm3 = nn.LayerNorm(out)
        self.conv4 = nn.Linear(c, out)

    def forward(self, x, g):
        y = self.conv1(x)
        for m in self.conv2:
            y = m.dynamic_conv(y, g)
        return (self.norm3(self.conv3(y)) + self.conv4(x)).mean(0, keepdim=True)


def tokens(f):
    b, c = f.shape[:2]
    return torch.cat([F.adaptive_avg_pool2d(f, p).reshape(b, c, -1) for p in (1, 2, 3, 6)], 2).permute(0, 2, 1)


class Lsk(nn.Module):
    def __init__(self, c, k):
        super().__init__()
        self.k = k
        self.conv_lst = nn.Conv2d(c, c, 5, padding=2, groups=c)
        self.conv_spatial0 = nn.Conv2d(c, c, 7, padding=9, dilation=3, groups=c)
        self.conv1 = nn.Conv2d(c, c // 2, 1)
        self.conv2 = nn.Conv2d(c, c // 2, 1)
        self.dynamic_mlp = KernelGenerator(c, k)
        self.conv = nn.Conv2d(c // 2, c, 1)

    def forward(self, lst, gui):
        a1 = self.conv_lst(lst)
        a2 = self.conv_spatial0(a1)
        a1, a2 = self.conv1(a1), self.conv2(a2)
        a = torch.cat([a1, a2], 1)
        agg = torch.cat([a.mean(1, keepdim=True), a.amax(1, keepdim=True)], 1)
        kernel = self.dynamic_mlp(tokens(lst), tokens(gui)).mean(1).reshape(2, 2, self.k, self.k).detach()
        s = F.conv2d(agg, kernel, padding=self.k // 2).sigmoid()
        return self.conv(a1 * s[:, :1] + a2 * s[:, 1:])


class Bridge(nn.Module):
    def __init__(self, lst_dim, f, scale, k):
        super().__init__()
        self.lst_up = Projection(lst_dim, f, scale, True)
        self.dlsk = Lsk(f, k)
        self.down = Projection(2 * f, lst_dim + f, scale, False)

    def forward(self, lst, gui):
        up = self.lst_up(lst)
        return self.down(torch.cat([up, self.dlsk(up, gui) * gui], 1))


class MoCoLsk(nn.Module):
    def __init__(self, scale, f=32, n=4, r=16, stages=4, k=3, mk=3, gui=10, mean=282.51, std=14.68):
        super().__init__()
        self.scale, self.mean, self.std, self.stages = scale, mean, std, stages
        self.lst_stem = conv(1, f, k)
        self.gui_stem = conv(gui, f, k)
        self.lst_rgs = nn.ModuleList([Group((i + 1) * f, k, r, n) for i in range(stages)])
        self.gui_rgs = nn.ModuleList([Group(f, k, r, n) for _ in range(stages)])
        self.bridges = nn.ModuleList([Bridge((i + 1) * f, f, scale, mk) for i in range(stages)])
        w = (stages + 1) * f
        self.decoder = nn.Sequential(Group(w, k, r, n), Projection(w, w, scale, True), Group(w, k, r, 2 * n), Group(w, k, r, 2 * n))
        self.proj_head = nn.Sequential(conv(w, f, k), nn.LeakyReLU(0.2), conv(f, 1, k))

    def forward(self, lst, gui):
        x = (lst - self.mean) / self.std
        l = F.leaky_relu(self.lst_stem(x), 0.2)
        g = F.leaky_relu(self.gui_stem(gui), 0.2)
        for i in range(self.stages):
            f = self.lst_rgs[i](l)
            g = self.gui_rgs[i](g)
            l = self.bridges[i](f, g)
        out = self.proj_head(self.decoder(l)) + F.interpolate(x, scale_factor=self.scale, mode="bicubic", align_corners=False)
        return out * self.std + self.mean


def save_safetensors(path, tensors, meta=None):
    """Writes float32 tensors as safetensors (JSON header padded to 8 bytes), beside the target then renamed."""
    header, blobs, offset = ({"__metadata__": meta} if meta else {}), [], 0
    for name in sorted(tensors):
        b = tensors[name].detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    tmp = f"{path}.{os.getpid()}.partial"  # two writers of the same file never share a temporary
    with open(tmp, "wb") as fh:
        fh.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
    os.replace(tmp, path)


def load_safetensors(path):
    with open(path, "rb") as fh:
        n = struct.unpack("<Q", fh.read(8))[0]
        header = json.loads(fh.read(n))
        data = fh.read()
    out = {}
    for k, v in header.items():
        if k != "__metadata__":
            a, b = v["data_offsets"]
            out[k] = torch.frombuffer(bytearray(data[a:b]), dtype=torch.float32).reshape(v["shape"])
    return out


def check(path):
    t = load_safetensors(path)
    net = MoCoLsk(2, f=8, n=1, r=4, std=14.73)
    net.load_state_dict({k[6:]: v for k, v in t.items() if k.startswith("param.")}, strict=True)
    sr = net(t["input.lr_lst"], t["input.hr_guidance"])
    rel = ((sr - t["output.sr_lst"]).abs() / t["output.sr_lst"].abs()).max().item()
    print(json.dumps({"golden_x2_max_rel_diff": rel}))
    assert rel < 1e-4, rel


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--check":
        check(sys.argv[2])
        sys.exit(0)
    threads, hr, steps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    device = sys.argv[4] if len(sys.argv) > 4 else "cpu"
    batch = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = MoCoLsk(4).to(device)
    foreach = os.environ.get("LSTPIPE_BENCH_FOREACH", "") != "0"
    opt = torch.optim.AdamW(net.parameters(), lr=1e-4, weight_decay=1e-5, foreach=None if foreach else False)
    lr_lst = (torch.randn(batch, 1, hr // 4, hr // 4) * 5 + 290).to(device)
    gui = torch.randn(batch, 10, hr, hr).to(device)
    target = (torch.randn(batch, 1, hr, hr) * 5 + 290).to(device)
    times = []
    for i in range(steps + 1):
        t0 = time.perf_counter()
        loss = F.l1_loss(net(lr_lst, gui), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()
        times.append(time.perf_counter() - t0)
    times = sorted(times[1:])
    print(json.dumps({"tool": "pytorch", "device": device, "foreach": foreach, "threads": threads, "batch": batch, "step_s": times[len(times) // 2], "params": sum(p.numel() for p in net.parameters())}))
