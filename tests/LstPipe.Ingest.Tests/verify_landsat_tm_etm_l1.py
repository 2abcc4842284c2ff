"""Independent check of `lstpipe ingest` on a Landsat 4-5 TM or 7 ETM+ Level-1 product folder (numpy + GDAL Python,
no lstpipe code).

Recomputes, for every pixel, band 6 radiance from the MTL's LMAX/LMIN/QCALMAX/QCALMIN, brightness temperature with
K1/K2 from the MTL where it has them and else the handbook's (Chander et al. 2009, table 5: Landsat 4 TM 671.62 /
1284.30, Landsat 5 TM 607.76 / 1260.56, Landsat 7 ETM+ 666.09 / 1282.71), TOA red and NIR reflectance from radiance
(pi L d^2 / (ESUN sin(sun elevation))), NDVI, the Sobrino et al. (2004) emissivity and the single-channel correction at
the grid resolution. DN 0, the file's nodata and DN 255 (saturated) are nodata. Prints one JSON line.
usage: verify_landsat_tm_etm_l1.py PRODUCT_DIR SCENE_DIR
"""
import glob
import json
import math
import re
import sys
from datetime import date

import numpy as np
from osgeo import gdal

product, scene = sys.argv[1], sys.argv[2]
mtl = {}
for line in open(glob.glob(f"{product}/*_MTL.txt")[0], encoding="ascii").read().replace("\0", "").splitlines():
    m = re.match(r"\s*(\w+)\s*=\s*\"?([^\"]*)\"?\s*$", line)
    if m:
        mtl[m.group(1)] = m.group(2)
f = lambda k: float(mtl[k])
craft, sensor = mtl["SPACECRAFT_ID"], mtl["SENSOR_ID"]
thermal = "6_VCID_1" if sensor.startswith("ETM") else "6"
handbook = {"LANDSAT_4": (671.62, 1284.30), "LANDSAT_5": (607.76, 1260.56), "LANDSAT_7": (666.09, 1282.71)}[craft]
esun = {"ETM": {"3": 1533, "4": 1039}, "TM": {"3": 1536, "4": 1031}}[sensor.rstrip("+")]
wavelength = 11.335e-6 if sensor.startswith("ETM") else 11.457e-6


def read(band):
    d = gdal.Open(glob.glob(f"{product}/*_B{band}.TIF")[0])
    b = d.GetRasterBand(1)
    v = b.ReadAsArray().astype(np.float64)
    bad = (v == 0) | (v >= 255) | ~np.isfinite(v)
    if b.GetNoDataValue() is not None:
        bad |= v == np.float32(b.GetNoDataValue())
    v[bad] = np.nan
    return v


def radiance(dn, band):
    lmax, lmin = f(f"RADIANCE_MAXIMUM_BAND_{band}"), f(f"RADIANCE_MINIMUM_BAND_{band}")
    qmax, qmin = f(f"QUANTIZE_CAL_MAX_BAND_{band}"), f(f"QUANTIZE_CAL_MIN_BAND_{band}")
    return (lmax - lmin) / (qmax - qmin) * (dn - qmin) + lmin


k1, k2 = (f(f"K1_CONSTANT_BAND_{thermal}"), f(f"K2_CONSTANT_BAND_{thermal}")) if f"K1_CONSTANT_BAND_{thermal}" in mtl else handbook
bt = k2 / np.log(k1 / radiance(read(thermal), thermal) + 1)
doy = date.fromisoformat(mtl["DATE_ACQUIRED"]).timetuple().tm_yday
d = 1 - 0.01672 * math.cos(math.radians(0.9856 * (doy - 4)))
sin_e = math.sin(math.radians(f("SUN_ELEVATION")))
toa = lambda band: math.pi * radiance(read(band), band) * d * d / (esun[band] * sin_e)
red, nir = toa("3"), toa("4")
ndvi = (nir - red) / (nir + red)
pv = ((ndvi - 0.2) / 0.3) ** 2
eps = np.where(ndvi < 0, 0.991, np.where(ndvi < 0.2, 0.979 - 0.035 * np.clip(red, 0, 1), np.where(ndvi > 0.5, 0.99, 0.986 + 0.004 * pv)))
lst = bt / (1 + wavelength * bt / 1.438e-2 * np.log(eps))

ours = gdal.Open(f"{scene}/lst.tif").ReadAsArray().astype(np.float64)
valid = ours != -9999
theirs_valid = np.isfinite(lst)
both = valid & theirs_valid
print(json.dumps({
    "k1": k1, "k2": k2,
    "valid_equal": bool(np.array_equal(valid, theirs_valid)),
    "valid_pixels": int(both.sum()),
    "max_abs_lst_diff": float(np.abs(ours[both] - lst[both]).max()),
    "mean_lst": float(lst[both].mean()),
    "mean_bt": float(bt[both].mean()),
}))
