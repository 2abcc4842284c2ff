"""Makes LST inputs in a wrong unit or with values no land surface has, with GDAL's and scipy's Python bindings, as a
user's tools would.

usage: lst_inputs.py tif-affine SRC DST GAIN OFFSET   valid pixels (not nodata, not an integer 0) -> v * GAIN + OFFSET
       lst_inputs.py tif-inf SRC DST                  the first valid pixel of band 1 -> +inf (a float raster)
       lst_inputs.py mat-affine FOLDER GAIN OFFSET    every FOLDER/*.mat's 'data' -> v * GAIN + OFFSET (MAT v5, zlib)
"""
import glob
import os
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def tif(cmd, src, dst, argv):
    ds = gdal.Open(src)
    out = gdal.GetDriverByName("GTiff").CreateCopy(dst, ds)
    band = out.GetRasterBand(1)
    nd = band.GetNoDataValue()
    a = band.ReadAsArray()
    valid = np.isfinite(a) if nd is None else (a != nd) & np.isfinite(a)
    if np.issubdtype(a.dtype, np.integer):
        valid &= a != 0  # MODIS and Landsat fill
    if cmd == "tif-affine":
        gain, offset = float(argv[0]), float(argv[1])
        v = a.astype(np.float64)
        v[valid] = v[valid] * gain + offset
        a = np.round(v).astype(a.dtype) if np.issubdtype(a.dtype, np.integer) else v.astype(a.dtype)
    else:
        r, c = np.argwhere(valid)[0]
        a[r, c] = np.inf
    band.WriteArray(a)
    out = None


def mat(folder, gain, offset):
    import scipy.io

    for path in sorted(glob.glob(os.path.join(folder, "*.mat"))):
        data = scipy.io.loadmat(path)["data"].astype(np.float32)
        scipy.io.savemat(path, {"data": (data * gain + offset).astype(np.float32)}, do_compression=True)


def main(argv):
    cmd = argv[1]
    if cmd in ("tif-affine", "tif-inf"):
        tif(cmd, argv[2], argv[3], argv[4:])
    elif cmd == "mat-affine":
        mat(argv[2], float(argv[3]), float(argv[4]))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
