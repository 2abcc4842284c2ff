"""The peer: how researchers cut GrokLST-style tiles today, with GDAL's Python bindings, numpy and scipy.io.savemat.

Usage: peer_crop.py SCENE_DIR OUT_DIR SIZE OVERLAP COMPRESS(0|1)
Same tiling, same block-mean pyramid, same MAT 5 layout as 'lstpipe crop', one process.
"""
import os
import sys

import numpy as np
import scipy.io as sio
from osgeo import gdal

scene, out, size, overlap, compress = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5] == "1"
names = ["dem", "deepblue", "blue", "green", "red", "vre", "nir", "ndmvi", "ndvi", "ndwi"]
scales = [1, 2, 4, 8]
step = int(size * (1 - overlap))
lst = gdal.Open(os.path.join(scene, "lst.tif"))
gui = gdal.Open(os.path.join(scene, "guidance.tif"))
w, h = lst.RasterXSize, lst.RasterYSize
for s in scales:
    for kind in ("lst", "guidance"):
        os.makedirs(os.path.join(out, f"{30 * s}m", kind), exist_ok=True)

index = 0
for y in range(0, h - size + 1, step):
    for x in range(0, w - size + 1, step):
        bands = [lst.GetRasterBand(1).ReadAsArray(x, y, size, size)]
        bands += [gui.GetRasterBand(b + 1).ReadAsArray(x, y, size, size) for b in range(len(names))]
        if any(np.any((b == -9999) | np.isnan(b)) for b in bands):
            continue
        name = f"{index:05d}.mat"
        for s in scales:
            t = size // s
            level = [b.astype(np.float64).reshape(t, s, t, s).mean(axis=(1, 3)).astype(np.float32) for b in bands]
            sio.savemat(os.path.join(out, f"{30 * s}m", "lst", name), {"data": level[0]}, do_compression=compress)
            sio.savemat(os.path.join(out, f"{30 * s}m", "guidance", name), dict(zip(names, level[1:])), do_compression=compress)
        index += 1
print(index)
