"""Independent check of an lstpipe dataset with the tools GrokLST users have: scipy.io.loadmat, numpy and GDAL.

Usage: verify_groklst.py DATASET
Checks every file of every scale folder: MAT 5 readable by scipy, float32, the right shape and variable names in
GrokLST order, identical sorted listings; base tiles equal the scene windows named in tiles.geojson (block means of the
scene's pixels where the card's truthCoarsenedFrom says crop --truth native averaged them onto a coarser base); coarse tiles
equal the nan-aware s x s block mean of the 30 m tile; the card's statistics equal numpy's over all tiles.
Prints "ok N" on success.
"""
import json
import math
import os
import sys

import numpy as np
import scipy.io as sio
from osgeo import gdal

root = sys.argv[1]
card = json.load(open(os.path.join(root, "dataset.json")))
features = json.load(open(os.path.join(root, "tiles.geojson")))["features"]
names = [c["name"] for c in card["guidance"]]
scales = card["scales"]
min_valid = card["coarseMinValidFraction"]

listing = None
for s in scales:
    for kind in ("lst", "guidance"):
        files = sorted(os.listdir(os.path.join(root, s["label"], kind)))
        assert listing is None or files == listing, f"{s['label']}/{kind} listing differs"
        listing = files
assert len(listing) == card["tileCount"] == len(features), "tile counts disagree"

scenes = {}
for sc in card["scenes"]:
    lst = gdal.Open(os.path.join(sc["path"], "lst.tif"))
    gui = gdal.Open(os.path.join(sc["path"], "guidance.tif"))
    scenes[sc["id"]] = (lst, gui)


def block_mean(t, k):
    ts = t.shape[0] // k
    blocks = t.astype(np.float64).reshape(ts, k, ts, k)
    count = np.sum(~np.isnan(blocks), axis=(1, 3))
    with np.errstate(invalid="ignore"):
        mean = np.nansum(blocks, axis=(1, 3)) / count
    mean[count < math.ceil(min_valid * k * k - 1e-9)] = np.nan
    return mean


base = round(card["baseResolutionMetres"] / card["truthCoarsenedFrom"]) if card.get("truthCoarsenedFrom") else 1


def window(ds, band, x, y, size):
    b = ds.GetRasterBand(band)
    a = b.ReadAsArray(x * base, y * base, size * base, size * base).astype(np.float32)
    nd = b.GetNoDataValue()
    if nd is not None:
        a[a == np.float32(nd)] = np.nan
    return a if base == 1 else block_mean(a, base).astype(np.float32)


sums = {s["label"]: {n: [0, 0.0, 0.0, math.inf, -math.inf] for n in ["lst"] + names} for s in scales}
for i, name in enumerate(listing):
    p = features[i]["properties"]
    assert p["index"] == i and name == p["name"] + ".mat", f"tile {i} is misnamed"
    lst, gui = scenes[p["scene"]]
    x, y, size = p["x"], p["y"], p["size"]
    truth = [window(lst, 1, x, y, size)] + [window(gui, b + 1, x, y, size) for b in range(len(names))]
    invalid = np.any([np.isnan(t) for t in truth], axis=0)
    for t in truth:
        t[invalid] = np.nan
    for s in scales:
        label, k, ts = s["label"], s["factor"], s["tileSize"]
        lm = sio.loadmat(os.path.join(root, label, "lst", name))
        gm = sio.loadmat(os.path.join(root, label, "guidance", name))
        assert [v for v in lm if not v.startswith("__")] == ["data"], f"{label}/lst/{name} variables"
        assert [v for v in gm if not v.startswith("__")] == names, f"{label}/guidance/{name} variables"
        got = [lm["data"]] + [gm[n] for n in names]
        for band, (g, t) in enumerate(zip(got, truth)):
            assert g.dtype == np.float32 and g.shape == (ts, ts), f"{label}/{name} band {band}: {g.dtype} {g.shape}"
            if k == 1:
                expected = t
            else:
                expected = block_mean(t, k)
            assert np.allclose(g, expected, rtol=2e-6, atol=1e-6, equal_nan=True), f"{label}/{name} band {band} differs"
            v = g[~np.isnan(g)].astype(np.float64)
            acc = sums[label][(["lst"] + names)[band]]
            if v.size:
                acc[0] += v.size
                acc[1] += v.sum()
                acc[2] += (v * v).sum()
                acc[3] = min(acc[3], v.min())
                acc[4] = max(acc[4], v.max())

for st in card["statistics"]:
    for b in st["bands"]:
        n, s1, s2, lo, hi = sums[st["scale"]][b["name"]]
        mean = s1 / n
        std = math.sqrt(max(0.0, s2 / n - mean * mean))
        assert b["count"] == n, f"{st['scale']} {b['name']} count"
        assert abs(b["mean"] - mean) <= 1e-9 * max(1, abs(mean)), f"{st['scale']} {b['name']} mean {b['mean']} vs {mean}"
        assert abs(b["std"] - std) <= 1e-6 * max(1, std), f"{st['scale']} {b['name']} std {b['std']} vs {std}"
        assert b["min"] == lo and b["max"] == hi, f"{st['scale']} {b['name']} extremes"
print("ok", len(listing))
