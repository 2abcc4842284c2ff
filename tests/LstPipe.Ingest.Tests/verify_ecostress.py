"""Independent check of `lstpipe ingest` on ECOSTRESS L2 LSTE (numpy + GDAL/OSR Python, no lstpipe code).

For every pixel of the scene grid, finds the source pixel under its centre (OSR transform to EPSG:4326): where that
source pixel is masked (QC bits 0-1 >= 2, cloud, or fill), the scene must be nodata. Also compares the mean LST of
valid pixels with the source's (LST * 0.02 over unmasked source pixels). Prints one JSON line.
usage: verify_ecostress.py PRODUCT_DIR SCENE_DIR
"""
import glob
import json
import sys

import numpy as np
from osgeo import gdal, osr

product, scene = sys.argv[1], sys.argv[2]
one = lambda pattern: glob.glob(f"{product}/*_{pattern}_doy*.tif")[0]
src = gdal.Open(one("LST"))
lst = src.ReadAsArray().astype(np.float64) * 0.02
qc = gdal.Open(one("QC")).ReadAsArray()
cloud = gdal.Open(one("cloud_mask")).ReadAsArray()
src_masked = (lst == 0) | (qc == -99999) | ((qc & 3) >= 2) | (cloud != 0)

out = gdal.Open(f"{scene}/lst.tif")
ours = out.ReadAsArray().astype(np.float64)
gt = out.GetGeoTransform()
h, w = ours.shape
cols, rows = np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5)
x = gt[0] + cols * gt[1]
y = gt[3] + rows * gt[5]
s_utm = osr.SpatialReference(wkt=out.GetProjection())
s_geo = osr.SpatialReference()
s_geo.ImportFromEPSG(4326)
for s in (s_utm, s_geo):
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ct = osr.CoordinateTransformation(s_utm, s_geo)
pts = np.array(ct.TransformPoints(np.column_stack([x.ravel(), y.ravel()])))
sg = src.GetGeoTransform()
sc = np.floor((pts[:, 0] - sg[0]) / sg[1]).astype(int).reshape(h, w)
sr = np.floor((pts[:, 1] - sg[3]) / sg[5]).astype(int).reshape(h, w)
inside = (sc >= 0) & (sc < src.RasterXSize) & (sr >= 0) & (sr < src.RasterYSize)
under_masked = np.zeros_like(inside)
under_masked[inside] = src_masked[sr[inside], sc[inside]]
valid = ours != -9999
print(json.dumps({
    "epsg": int(s_utm.GetAuthorityCode(None)),
    "pixel": gt[1],
    "masked_source_pixels_under_valid_output": int((valid & under_masked).sum()),
    "masked_source_pixels_under_output": int(under_masked.sum()),
    "source_mean": float(lst[~src_masked].mean()),
    "scene_mean": float(ours[valid].mean()),
    "valid_outside_source": int((valid & ~inside).sum()),
}))
