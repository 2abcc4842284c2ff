"""A small folder in GrokLST's layout written the way the original authors' tools write it: scipy.io.savemat
(scipy's header text, MATLAB `double` by default), some files zlib-compressed and some not, names that are not
lstpipe's, split files of the published kind. Run under /usr/bin/python3 (python3-scipy).

make_groklst_folder.py OUT TILES SIZE [--channels dem,blue,...] [--nan] [--celsius] [--swap dem,ndvi]
  OUT       folder to write (30m/ 60m/ 120m/ 240m/ with lst/ and guidance/, split/)
  TILES     tiles per folder
  SIZE      30 m tile edge in pixels (a multiple of 8)
  --nan     put one NaN into the last 30 m LST tile (adopt must refuse it)
  --celsius write the LST in degrees Celsius (adopt must refuse it)
  --swap    exchange the contents of two guidance variables (adopt must refuse it, naming them)
"""
import os
import sys

import numpy as np
import scipy.io

CHANNELS = ["dem", "deepblue", "blue", "green", "red", "vre", "nir", "ndmvi", "ndvi", "ndwi"]


def block_mean(a, s):
    h, w = a.shape
    return a.reshape(h // s, s, w // s, s).mean(axis=(1, 3))


def main():
    out, tiles, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    channels = CHANNELS
    if "--channels" in sys.argv:
        channels = sys.argv[sys.argv.index("--channels") + 1].split(",")
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:size, 0:size] / size
    for k in range(tiles):
        name = f"tile_{k * 7 + 3:04d}.mat"
        phase = rng.uniform(0, 6.3)
        dem = 2500 + 900 * np.sin(3 * x + phase) * np.cos(2 * y) + 40 * rng.standard_normal((size, size))
        ndvi = 0.15 + 0.1 * np.cos(4 * y + phase)
        lst = 300 - 0.0065 * (dem - 2500) - 12 * ndvi + 0.3 * rng.standard_normal((size, size))
        bands = {
            "dem": dem, "deepblue": 0.17 + 0.03 * ndvi, "blue": 0.16 + 0.02 * ndvi, "green": 0.15 + 0.02 * ndvi,
            "red": 0.17 - 0.05 * ndvi, "vre": 0.2 + 0.05 * ndvi, "nir": 0.22 + 0.2 * ndvi, "ndmvi": 0.19 + 0.5 * ndvi,
        }
        # the indices of these reflectances, as GrokLST defines them (lstpipe checks that they are)
        bands["ndvi"] = (bands["nir"] - bands["red"]) / (bands["nir"] + bands["red"])
        bands["ndwi"] = (bands["green"] - bands["nir"]) / (bands["green"] + bands["nir"])
        if "--swap" in sys.argv:
            a, b = sys.argv[sys.argv.index("--swap") + 1].split(",")
            bands[a], bands[b] = bands[b], bands[a]
        if "--celsius" in sys.argv:
            lst = lst - 273.15
        if "--nan" in sys.argv and k == tiles - 1:
            lst[3, 5] = np.nan
        for res, s in (("30m", 1), ("60m", 2), ("120m", 4), ("240m", 8)):
            for kind in ("lst", "guidance"):
                os.makedirs(os.path.join(out, res, kind), exist_ok=True)
            compress = k % 2 == 0
            lst_s = lst if s == 1 else block_mean(lst, s)
            scipy.io.savemat(os.path.join(out, res, "lst", name), {"data": lst_s if k % 3 else lst_s.astype(np.float32)},
                             do_compression=compress)
            scipy.io.savemat(os.path.join(out, res, "guidance", name),
                             {c: (bands[c] if s == 1 else block_mean(bands[c], s)) for c in channels}, do_compression=compress)
    os.makedirs(os.path.join(out, "split"), exist_ok=True)
    order = np.arange(tiles)
    train, val, test = order[: int(tiles * 0.6)], order[int(tiles * 0.6): int(tiles * 0.7)], order[int(tiles * 0.7):]
    for n, ids in (("train", train), ("val", val), ("test", test), ("trainval", np.concatenate([train, val]))):
        with open(os.path.join(out, "split", n + ".txt"), "w") as f:
            f.writelines(f"{i}\n" for i in ids)


if __name__ == "__main__":
    main()
