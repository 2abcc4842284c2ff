"""Independent GDAL steps of the researcher-path session test (run under /usr/bin/python3 with python3-gdal).

warp SRC DST          SRC reprojected to geographic WGS 84 at 0.0013 deg (average): a coarse LST in another CRS
                      and resolution than the guidance, as a researcher's product would be.
check OUT LR SCALE    LR averaged onto OUT's grid coarsened by SCALE (what predict must have used), then prints
                      "rmse max blocks": the RMSE and largest difference between OUT's SCALE x SCALE block means
                      (nodata -9999 left out) and that coarse LST.
"""
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def warp(src, dst):
    gdal.Warp(dst, src, dstSRS="EPSG:4326", xRes=0.0013, yRes=0.0013, resampleAlg="average", dstNodata=-9999)


def check(out, lr, scale):
    o = gdal.Open(out)
    hr = o.GetRasterBand(1).ReadAsArray().astype(np.float64)
    hr[hr == -9999] = np.nan
    gt = o.GetGeoTransform()
    h, w = hr.shape
    ch, cw = -(-h // scale), -(-w // scale)
    target = gdal.Warp("/vsimem/coarse.tif", lr, format="GTiff", outputBounds=(gt[0], gt[3] + ch * scale * gt[5], gt[0] + cw * scale * gt[1], gt[3]),
                       width=cw, height=ch, dstSRS=o.GetProjection(), resampleAlg="average", dstNodata=-9999)
    coarse = target.GetRasterBand(1).ReadAsArray().astype(np.float64)
    coarse[coarse == -9999] = np.nan
    padded = np.full((ch * scale, cw * scale), np.nan)
    padded[:h, :w] = hr
    with np.errstate(invalid="ignore"):
        means = np.nanmean(padded.reshape(ch, scale, cw, scale), axis=(1, 3))
    d = (means - coarse)[np.isfinite(means) & np.isfinite(coarse)]
    print(f"{np.sqrt(np.mean(d * d)):.6f} {np.max(np.abs(d)):.6f} {d.size}")


if __name__ == "__main__":
    if sys.argv[1] == "warp":
        warp(sys.argv[2], sys.argv[3])
    else:
        import warnings
        warnings.simplefilter("ignore")
        check(sys.argv[2], sys.argv[3], int(sys.argv[4]))
