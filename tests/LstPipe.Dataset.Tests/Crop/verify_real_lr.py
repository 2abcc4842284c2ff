"""Independent check of a dataset's real-LR level (lstpipe crop --real-lr) with scipy, numpy and GDAL's Python bindings.

Usage: verify_real_lr.py DATASET
For every tile of tiles.geojson, warps the coarse scene's lst.tif (nodata -9999) and a 1/0 raster of its valid pixels
onto the tile's grid at the real level (gdal.Warp, average), keeps the pixels whose valid share reaches the card's
coarseMinValidFraction, and compares with LEVEL-real/lst/NNNNN.mat (scipy.io.loadmat); recomputes each tile's coverage
and its bias and RMSE against the simulated level. Prints one JSON line.
"""
import json
import os
import sys

import numpy as np
import scipy.io as sio
from osgeo import gdal

root = sys.argv[1]
card = json.load(open(os.path.join(root, "dataset.json")))
real = card["realLr"]
features = json.load(open(os.path.join(root, "tiles.geojson")))["features"]
epsg = {s["id"]: s["epsg"] for s in card["scenes"]}
cs = card["tileSize"] // real["factor"]
min_valid = card["coarseMinValidFraction"]

coarse = gdal.Open(os.path.join(real["source"], "lst.tif"))
values = coarse.GetRasterBand(1).ReadAsArray()
valid = gdal.GetDriverByName("MEM").Create("", coarse.RasterXSize, coarse.RasterYSize, 1, gdal.GDT_Float32)
valid.SetGeoTransform(coarse.GetGeoTransform())
valid.SetProjection(coarse.GetProjection())
valid.GetRasterBand(1).WriteArray(((values != -9999) & np.isfinite(values)).astype(np.float32))


def warp(source, bounds, srs):
    out = gdal.Warp("", source, format="MEM", dstSRS=srs, outputBounds=bounds, width=cs, height=cs,
                    resampleAlg="average", dstNodata=-9999, errorThreshold=0)
    a = out.ReadAsArray().astype(np.float64)
    a[a == -9999] = np.nan
    return a


max_diff, nan_equal, coverage_diff, bias_diff, rmse_diff, all_d = 0.0, True, 0.0, 0.0, 0.0, []
listing = sorted(os.listdir(os.path.join(root, real["folder"], "lst")))
for f, tile in zip(features, real["tiles"]):
    p = f["properties"]
    srs = f"EPSG:{epsg[p['scene']]}"
    bounds = tuple(p["projectedBounds"])
    share = warp(valid, bounds, srs)
    expected = warp(coarse, bounds, srs)
    expected[~(share >= min_valid - 1e-9)] = np.nan
    ours = sio.loadmat(os.path.join(root, real["folder"], "lst", p["name"] + ".mat"))["data"].astype(np.float64)
    simulated = sio.loadmat(os.path.join(root, real["scale"], "lst", p["name"] + ".mat"))["data"].astype(np.float64)
    nan_equal &= bool(np.array_equal(np.isnan(ours), np.isnan(expected)))
    if np.isfinite(ours).any():
        max_diff = max(max_diff, float(np.nanmax(np.abs(ours - expected))))
    coverage_diff = max(coverage_diff, abs(np.isfinite(ours).mean() - tile["coverage"]))
    d = (ours - simulated)[np.isfinite(ours) & np.isfinite(simulated)]
    all_d.append(d)
    if d.size:
        bias_diff = max(bias_diff, abs(d.mean() - tile["biasK"]))
        rmse_diff = max(rmse_diff, abs(np.sqrt((d ** 2).mean()) - tile["rmseK"]))

d = np.concatenate(all_d)
print(json.dumps({
    "tiles": len(listing), "shape_ok": ours.shape == (cs, cs), "max_abs_diff": max_diff, "nan_equal": nan_equal,
    "coverage_diff": coverage_diff, "bias_diff": bias_diff, "rmse_diff": rmse_diff,
    "covered": sum(1 for t in real["tiles"] if t["coverage"] >= real["minCoverage"] - 1e-9),
    "bias": float(d.mean()), "rmse": float(np.sqrt((d ** 2).mean())),
    "listing_ok": listing == sorted(os.listdir(os.path.join(root, real["scale"], "lst"))),
}))
