"""Loads a data root the way GrokLST's own toolkit does (its facts in ../shared/GROKLST.md), independently of lstpipe:
sorted file lists per folder paired by position, split files as 0-based indices into them, scipy.io.loadmat, the LST
in variable `data`, the ten guidance variables stacked H x W x 10. Run under /usr/bin/python3 (python3-scipy).

groklst_loader.py ROOT LR_LABEL   prints "tiles trainval test lr_size hr_size mean_hr_lst" or fails.
"""
import os
import sys

import numpy as np
import scipy.io

CHANNELS = ["dem", "deepblue", "blue", "green", "red", "vre", "nir", "ndmvi", "ndvi", "ndwi"]


def listing(root, prefix):
    return sorted(os.listdir(os.path.join(root, prefix)))


def main():
    root, lr_label = sys.argv[1], sys.argv[2]
    prefixes = {"lr_lst": f"{lr_label}/lst", "hr_lst": "30m/lst", "hr_guidance": "30m/guidance"}
    names = {k: listing(root, p) for k, p in prefixes.items()}
    assert names["lr_lst"] == names["hr_lst"] == names["hr_guidance"], "folders do not pair by sorted position"
    splits = {}
    for split in ("trainval", "test"):
        with open(os.path.join(root, "split", split + ".txt")) as f:
            splits[split] = [int(line) for line in f if line.strip()]
    means = []
    for i in splits["trainval"] + splits["test"]:
        lr = scipy.io.loadmat(os.path.join(root, prefixes["lr_lst"], names["lr_lst"][i]))["data"]
        hr = scipy.io.loadmat(os.path.join(root, prefixes["hr_lst"], names["hr_lst"][i]))["data"]
        g = scipy.io.loadmat(os.path.join(root, prefixes["hr_guidance"], names["hr_guidance"][i]))
        gui = np.stack([g[c] for c in CHANNELS], axis=2)
        assert lr.dtype == np.float32 and hr.dtype == np.float32 and gui.dtype == np.float32
        assert gui.shape == hr.shape + (10,)
        assert np.all(np.isfinite(lr)) and np.all(np.isfinite(hr)) and np.all(np.isfinite(gui))
        s = hr.shape[0] // lr.shape[0]
        assert np.allclose(hr.reshape(lr.shape[0], s, lr.shape[1], s).mean(axis=(1, 3)), lr, atol=1e-3), "LR is not the block mean of HR"
        means.append(float(hr.mean()))
    print(len(names["hr_lst"]), len(splits["trainval"]), len(splits["test"]), lr.shape[0], hr.shape[0], f"{np.mean(means):.4f}")


if __name__ == "__main__":
    main()
