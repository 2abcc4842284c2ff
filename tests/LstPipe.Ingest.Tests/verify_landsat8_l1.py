"""Independent check of `lstpipe ingest` on a Landsat 8 Level-1 product (numpy + GDAL Python, no lstpipe code).

Recomputes, for every pixel, brightness temperature from the B10 DN and the MTL's RADIANCE_MULT/ADD and K1/K2,
TOA red and NIR reflectance from REFLECTANCE_MULT/ADD and the sun elevation, NDVI, the Sobrino et al. (2004)
NDVI-threshold emissivity and the single-channel correction, and the pre-collection BQA mask (cloud, cirrus and
snow confidence >= medium, or fill). Prints one JSON line of comparisons with the scene folder.
usage: verify_landsat8_l1.py PRODUCT_DIR SCENE_DIR
"""
import json
import re
import sys

import numpy as np
from osgeo import gdal

product, scene = sys.argv[1], sys.argv[2]
mtl = {}
for line in open(f"{product}/l8_MTL.txt"):
    m = re.match(r"\s*(\w+)\s*=\s*\"?([^\"]*)\"?\s*$", line)
    if m:
        mtl[m.group(1)] = m.group(2)
f = lambda k: float(mtl[k])
read = lambda name: gdal.Open(f"{product}/l8_{name}.tif").ReadAsArray().astype(np.float64)

dn10, red_dn, nir_dn, qa = read("B10"), read("B4"), read("B5"), read("BQA").astype(np.int64)
radiance = f("RADIANCE_MULT_BAND_10") * dn10 + f("RADIANCE_ADD_BAND_10")
bt = f("K2_CONSTANT_BAND_10") / np.log(f("K1_CONSTANT_BAND_10") / radiance + 1)
sin_e = np.sin(np.radians(f("SUN_ELEVATION")))
red = (f("REFLECTANCE_MULT_BAND_4") * red_dn + f("REFLECTANCE_ADD_BAND_4")) / sin_e
nir = (f("REFLECTANCE_MULT_BAND_5") * nir_dn + f("REFLECTANCE_ADD_BAND_5")) / sin_e
ndvi = (nir - red) / (nir + red)
pv = ((ndvi - 0.2) / 0.3) ** 2
eps = np.where(ndvi < 0, 0.991, np.where(ndvi < 0.2, 0.979 - 0.035 * np.clip(red, 0, 1), np.where(ndvi > 0.5, 0.99, 0.986 + 0.004 * pv)))
lst = bt / (1 + 10.895e-6 * bt / 1.438e-2 * np.log(eps))
conf = lambda shift: (qa >> shift) & 3
masked = ((qa & 1) == 1) | (conf(14) >= 2) | (conf(12) >= 2) | (conf(10) >= 2)

ours = gdal.Open(f"{scene}/lst.tif").ReadAsArray().astype(np.float64)
guid = gdal.Open(f"{scene}/guidance.tif")
names = [guid.GetRasterBand(i + 1).GetDescription() for i in range(guid.RasterCount)]
ours_ndvi = guid.GetRasterBand(names.index("ndvi") + 1).ReadAsArray().astype(np.float64)
ours_red = guid.GetRasterBand(names.index("red") + 1).ReadAsArray().astype(np.float64)
nodata = ours == -9999
valid = ~nodata
land = valid & (ndvi > 0.3)
print(json.dumps({
    "mask_equal": bool(np.array_equal(nodata, masked)),
    "masked_fraction": float(masked.mean()),
    "max_abs_lst_diff": float(np.abs(ours[valid] - lst[valid]).max()),
    "max_abs_red_diff": float(np.abs(ours_red[valid] - red[valid]).max()),
    "max_abs_ndvi_diff": float(np.abs(ours_ndvi[valid] - ndvi[valid]).max()),
    "guidance_nodata_equal": bool(np.array_equal(ours_ndvi == -9999, masked)),
    "min_correction": float((ours[valid] - bt[valid]).min()),
    "max_correction": float((ours[valid] - bt[valid]).max()),
    "land_p05": float(np.percentile(ours[land], 5)),
    "land_p50": float(np.percentile(ours[land], 50)),
    "land_p99": float(np.percentile(ours[land], 99)),
    "cloud_bt_p50": float(np.median(bt[conf(14) == 3])),
}))
