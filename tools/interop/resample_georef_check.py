#!/usr/bin/python3
"""Check that chunkpipe's outputs of a --resample run open georeferenced.

Usage: resample_georef_check.py EPSG RES FACTOR OUTPUT...

Each OUTPUT (.tif, .nc or .zarr, written with --resample onto a grid of
EPSG code EPSG and resolution RES in the CRS's units, then coarsened by
FACTOR, 1 for none) must open in GDAL with a CRS that GDAL identifies as
EPSG:EPSG, and a north-up geotransform with pixel size RES*FACTOR and an
origin on a multiple of RES; all OUTPUTs must have the same shape and
geotransform (within 1e-9 relative). NetCDF and Zarr outputs must also open in xarray with 1-D
coordinates (lat/lon for EPSG:4326, else y/x) of the data's shape, at the
pixel centres of GDAL's geotransform, and a grid_mapping naming a variable
whose crs_wkt GDAL identifies as EPSG:EPSG. Prints one line per check;
exits 0 when all pass, 1 otherwise.
"""

import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1.0)


def epsg_of(srs):
    """Returns the EPSG code GDAL names the CRS by, or None."""
    if srs is None:
        return None
    code = srs.GetAuthorityCode(None)
    return int(code) if code and srs.GetAuthorityName(None) == "EPSG" else None


def check_gdal(path, epsg, res, factor):
    target = path
    if path.endswith(".nc"):
        subs = gdal.Open(path).GetSubDatasets()
        if subs:
            target = [s for s, _ in subs if not s.endswith(":crs")][0]
    ds = gdal.Open(target)
    srs = ds.GetSpatialRef()
    if epsg_of(srs) != epsg:
        return None, f"{path}: GDAL CRS is EPSG:{epsg_of(srs)} ({srs.ExportToProj4() if srs else None}), want EPSG:{epsg}"
    gt = ds.GetGeoTransform(can_return_null=True)
    if gt is None:
        return None, f"{path}: GDAL sees no geotransform"
    if not (close(gt[1], res * factor) and close(gt[5], -res * factor) and gt[2] == 0 and gt[4] == 0):
        return None, f"{path}: geotransform {gt}, want pixel size ({res * factor}, {-res * factor}), north up"
    for origin in (gt[0], gt[3]):
        if not close(origin / res, round(origin / res), 1e-6):
            return None, f"{path}: origin {origin} is not on a multiple of {res}"
    print(f"ok: {path}: GDAL EPSG:{epsg} geotransform {gt} size {ds.RasterXSize}x{ds.RasterYSize}")
    return (gt, ds.RasterYSize, ds.RasterXSize), None


def check_xarray(path, epsg, georef):
    import xarray as xr

    gt, rows, cols = georef
    ds = xr.open_zarr(path) if path.endswith(".zarr") else xr.open_dataset(path)
    data = [v for v in ds.data_vars if ds[v].ndim == 2]
    if len(data) != 1:
        return f"{path}: xarray finds 2-D variables {data}, want one"
    var = ds[data[0]]
    dims = ("lat", "lon") if epsg == 4326 else ("y", "x")
    if var.dims != dims or var.shape != (rows, cols):
        return f"{path}: {data[0]} has dims {var.dims} shape {var.shape}, want {dims} ({rows}, {cols})"
    want = {dims[0]: gt[3] + gt[5] * (np.arange(rows) + 0.5), dims[1]: gt[0] + gt[1] * (np.arange(cols) + 0.5)}
    for dim, values in want.items():
        if dim not in ds.coords:
            return f"{path}: xarray lacks coordinate {dim} (coords {list(ds.coords)})"
        got = ds.coords[dim].values
        if got.shape != values.shape or not np.allclose(got, values, rtol=1e-12, atol=1e-9 * abs(gt[1])):
            return f"{path}: coordinate {dim} {got[:3]}... is not the pixel centres {values[:3]}..."
    gm = var.attrs.get("grid_mapping") or var.encoding.get("grid_mapping")
    if gm is None or gm not in ds.variables:
        return f"{path}: {data[0]} has no grid_mapping naming a variable ({gm})"
    srs = osr.SpatialReference()
    wkt = ds[gm].attrs.get("crs_wkt", "")
    if not wkt or srs.ImportFromWkt(wkt) != 0 or epsg_of(srs) != epsg:
        return f"{path}: grid mapping {gm}'s crs_wkt is not EPSG:{epsg}: {wkt[:80]}"
    print(f"ok: {path}: xarray dims {var.dims}, coordinates at pixel centres, grid_mapping {gm} ({ds[gm].attrs.get('grid_mapping_name')})")
    ds.close()
    return None


def main(argv):
    if len(argv) < 5:
        print(__doc__)
        return 2
    epsg, res, factor = int(argv[1]), float(argv[2]), int(argv[3])
    fails, first = [], None
    for path in argv[4:]:
        georef, err = check_gdal(path, epsg, res, factor)
        if err is None:
            if first is None:
                first = (path, georef)
            elif georef[1:] != first[1][1:] or not all(close(a, b) for a, b in zip(georef[0], first[1][0])):
                err = f"{path}: georeferencing {georef} differs from {first[0]}'s {first[1]}"
            elif not path.endswith(".tif"):
                err = check_xarray(path, epsg, georef)
        if err:
            print("FAIL:", err)
            fails.append(err)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
