"""Exchanges the contents of two guidance channels, as a mislabelling tool would, with independent readers.

usage: swap_guidance.py mats DATASET A,B   every NNm/guidance/*.mat of a dataset: variables A and B exchanged (scipy)
       swap_guidance.py tif GUIDANCE A,B   a guidance GeoTIFF: the pixels of the bands described A and B exchanged (GDAL)
"""
import glob
import os
import sys

import numpy as np
import scipy.io
from osgeo import gdal

gdal.UseExceptions()


def main(argv):
    mode, path, (a, b) = argv[1], argv[2], argv[3].split(",")
    if mode == "mats":
        for f in glob.glob(os.path.join(path, "*m", "guidance", "*.mat")):
            m = {k: v for k, v in scipy.io.loadmat(f).items() if not k.startswith("__")}
            m[a], m[b] = m[b], m[a]
            scipy.io.savemat(f, m, do_compression=True)
    elif mode == "tif":
        ds = gdal.Open(path, gdal.GA_Update)
        bands = {ds.GetRasterBand(i + 1).GetDescription(): ds.GetRasterBand(i + 1) for i in range(ds.RasterCount)}
        va, vb = bands[a].ReadAsArray(), bands[b].ReadAsArray()
        bands[a].WriteArray(vb)
        bands[b].WriteArray(va)
        ds = None
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv)
