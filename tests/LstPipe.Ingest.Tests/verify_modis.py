"""Independent check of `lstpipe ingest` on MODIS MOD11A1 (numpy + GDAL/OSR Python, no lstpipe code).

Reads the granule's fields (an HDF4-EOS granule through GDAL's subdatasets, or a folder of GeoTIFF subsets named
after the fields), decodes QC_Day by the MOD11 user guide (bits 0-1 mandatory QA: 00 good, 01 other quality; bits
6-7 average LST error: 00 <= 1 K, 01 <= 2 K, 10 <= 3 K, 11 > 3 K), and compares the scene's LST with
LST_Day_1km * 0.02 on the kept pixels. Prints one JSON line.
With MAX_VIEW_ZENITH, pixels seen at a larger view zenith angle (Day_view_angl - 65 degrees) are not kept either.
usage: verify_modis.py PRODUCT SCENE_DIR [MAX_LST_ERROR [MAX_VIEW_ZENITH]]
"""
import glob
import json
import os
import sys

import numpy as np
from osgeo import gdal, osr

product, scene = sys.argv[1], sys.argv[2]
max_error = int(sys.argv[3]) if len(sys.argv) > 3 else 0
max_zenith = float(sys.argv[4]) if len(sys.argv) > 4 else None


def field(name):
    if os.path.isfile(product):
        return gdal.Open(f'HDF4_EOS:EOS_GRID:"{product}":MODIS_Grid_Daily_1km_LST:{name}')
    return gdal.Open(glob.glob(f"{product}/*_{name}.tif")[0])


lst_ds = field("LST_Day_1km")
dn = lst_ds.ReadAsArray().astype(np.float64)
qc = field("QC_Day").ReadAsArray().astype(np.int64)
view_time = field("Day_view_time").ReadAsArray().astype(np.float64)
qa, error_class = qc & 3, (qc >> 6) & 3
keep = (dn > 0) & ((qa == 0) | ((qa == 1) & (error_class + 1 <= max_error)))
if max_zenith is not None:
    angle = field("Day_view_angl").ReadAsArray().astype(np.float64)
    keep &= (angle != 255) & (angle - 65 <= max_zenith)
expected = np.where(keep, dn * 0.02, np.nan)

out = gdal.Open(f"{scene}/lst.tif")
ours = out.ReadAsArray().astype(np.float64)
ours[ours == out.GetRasterBand(1).GetNoDataValue()] = np.nan
same_grid = ours.shape == dn.shape and np.allclose(out.GetGeoTransform(), lst_ds.GetGeoTransform(), rtol=0, atol=1e-6)

gt = lst_ds.GetGeoTransform()
h, w = dn.shape
cols, rows = np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5)
sin = osr.SpatialReference(wkt=lst_ds.GetProjection())
geo = osr.SpatialReference()
geo.ImportFromEPSG(4326)
for s in (sin, geo):
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
pts = np.array(osr.CoordinateTransformation(sin, geo).TransformPoints(
    np.column_stack([(gt[0] + cols * gt[1]).ravel(), (gt[3] + rows * gt[5]).ravel()])))
lon = pts[:, 0].reshape(h, w)
timed = keep & (view_time != 255)
local = view_time[timed] * 0.1

print(json.dumps({
    "same_grid": bool(same_grid),
    "pixels": int(dn.size),
    "qa00": int(((qa == 0) & (dn > 0)).sum()),
    "qa01": int((qa == 1).sum()),
    "qa01_by_error_class": [int(((qa == 1) & (error_class == k)).sum()) for k in range(4)],
    "not_produced": int((qa >= 2).sum()),
    "expected_kept": int(keep.sum()),
    "scene_valid": int(np.isfinite(ours).sum()),
    "mask_equal": bool(np.array_equal(np.isnan(ours), ~keep)),
    "max_abs_lst_diff": float(np.nanmax(np.abs(ours - expected))),
    "mean_kept_lst": float(np.nanmean(expected)),
    "gdal_scale": lst_ds.GetRasterBand(1).GetScale(),
    "mean_local_view_h": float(local.mean()),
    "mean_utc_view_h": float((local - lon[timed] / 15).mean()),
}))
