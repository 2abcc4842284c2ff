"""Makes the wrong (and right) inputs of the data-contract tests with GDAL's Python bindings, as a user's tools would.

usage: contract_inputs.py reorder SRC DST 9,2,3,...   bands in that order, descriptions carried (gdal_translate -b)
       contract_inputs.py unname SRC DST             the same raster without band descriptions
       contract_inputs.py rename SRC DST a,b,...     the same pixels with other band descriptions
       contract_inputs.py resample SRC DST METRES    average onto a coarser grid (gdalwarp -tr -r average)
       contract_inputs.py celsius SRC DST            LST minus 273.15
       contract_inputs.py shift SRC DST DX DY        the same pixels moved by DX, DY map units
       contract_inputs.py nodata SRC DST             every pixel nodata
       contract_inputs.py stack SRC DST              two bands: a copy of band 1, then band 1 + 1
       contract_inputs.py poke SRC DST BAND X Y V    a copy with pixel (X, Y) of BAND set to V (inf, nan, 1e30...)
       contract_inputs.py southup SRC DST            the same ground stored south-up (rows reversed, y pixel size > 0)
       contract_inputs.py rotate SRC DST             the same pixels under a geotransform rotated by 1 degree
       contract_inputs.py relabel SRC DST EPSG       the same pixels and pixel size in map units, centred on the same
                                                     longitude and latitude in another CRS
"""
import math

import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def main(argv):
    cmd, src, dst = argv[1], argv[2], argv[3]
    if cmd == "reorder":
        order = [int(b) for b in argv[4].split(",")]
        gdal.Translate(dst, src, bandList=order)
    elif cmd == "unname" or cmd == "rename":
        out = gdal.Translate(dst, src)
        names = argv[4].split(",") if cmd == "rename" else [""] * out.RasterCount
        for i, name in enumerate(names):
            out.GetRasterBand(i + 1).SetDescription(name)
        out = None
    elif cmd == "resample":
        m = float(argv[4])
        gdal.Warp(dst, src, xRes=m, yRes=m, resampleAlg="average")
    elif cmd in ("celsius", "nodata", "shift", "stack"):
        ds = gdal.Open(src)
        band = ds.GetRasterBand(1)
        nd = band.GetNoDataValue()
        a = band.ReadAsArray().astype(np.float32)
        valid = a != nd
        gt = list(ds.GetGeoTransform())
        bands = [a]
        if cmd == "celsius":
            a[valid] -= 273.15
        elif cmd == "nodata":
            a[:] = nd
        elif cmd == "shift":
            gt[0] += float(argv[4])
            gt[3] += float(argv[5])
        else:
            bands = [a, np.where(valid, a + 1, nd).astype(np.float32)]
        out = gdal.GetDriverByName("GTiff").Create(dst, ds.RasterXSize, ds.RasterYSize, len(bands), gdal.GDT_Float32)
        out.SetGeoTransform(gt)
        out.SetProjection(ds.GetProjection())
        for i, b in enumerate(bands):
            out.GetRasterBand(i + 1).SetNoDataValue(nd)
            out.GetRasterBand(i + 1).WriteArray(b)
        out = None
    elif cmd == "poke":
        out = gdal.Translate(dst, src)
        band = out.GetRasterBand(int(argv[4]))
        band.WriteArray(np.array([[float(argv[7])]], dtype=np.float32), int(argv[5]), int(argv[6]))
        out = None
    elif cmd in ("southup", "rotate", "relabel"):
        geometry(cmd, src, dst, argv[4:])
    else:
        sys.exit("unknown command " + cmd)


def geometry(cmd, src, dst, more):
    """Copies every band (values, nodata, descriptions) under another geotransform (and CRS)."""
    from osgeo import osr

    ds = gdal.Open(src)
    gt = list(ds.GetGeoTransform())
    w, h = ds.RasterXSize, ds.RasterYSize
    wkt = ds.GetProjection()
    flip = cmd == "southup"
    if flip:
        gt = [gt[0], gt[1], 0, gt[3] + h * gt[5], 0, -gt[5]]
    elif cmd == "rotate":
        a = math.radians(1)
        p = gt[1]
        gt = [gt[0], p * math.cos(a), p * math.sin(a), gt[3], p * math.sin(a), -p * math.cos(a)]
    else:
        here = osr.SpatialReference(wkt=wkt)
        there = osr.SpatialReference()
        there.ImportFromEPSG(int(more[0]))
        for s in (here, there):
            s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        cx, cy = gt[0] + gt[1] * w / 2, gt[3] + gt[5] * h / 2
        x, y, _ = osr.CoordinateTransformation(here, there).TransformPoint(cx, cy)
        gt = [x - gt[1] * w / 2, gt[1], 0, y - gt[5] * h / 2, 0, gt[5]]
        wkt = there.ExportToWkt()
    out = gdal.GetDriverByName("GTiff").Create(dst, w, h, ds.RasterCount, gdal.GDT_Float32)
    out.SetGeoTransform(gt)
    out.SetProjection(wkt)
    for i in range(1, ds.RasterCount + 1):
        b = ds.GetRasterBand(i)
        a = b.ReadAsArray().astype(np.float32)
        o = out.GetRasterBand(i)
        if b.GetNoDataValue() is not None:
            o.SetNoDataValue(b.GetNoDataValue())
        o.SetDescription(b.GetDescription())
        o.WriteArray(a[::-1] if flip else a)
    out = None


if __name__ == "__main__":
    main(sys.argv)
