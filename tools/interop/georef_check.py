#!/usr/bin/python3
"""Check that chunkpipe's outputs of an ABI band open georeferenced.

Usage: georef_check.py INPUT.nc OUTPUT:FACTOR...

The reference is what GDAL makes of the input NetCDF's Rad variable
(NETCDF:INPUT:Rad): a geostationary CRS (+proj=geos) and a geotransform
derived from x/y and goes_imager_projection. Each OUTPUT (.nc, .tif or
.zarr) must open in GDAL with a +proj=geos CRS whose satellite longitude,
height and sweep axis are the input's, and a geotransform equal to the
input's within 1e-6 relative, with the pixel size times FACTOR (the
output's coarsen factor, 1 for none). NetCDF and Zarr outputs must also
open in xarray with x and y coordinates of the data's shape, and a
grid_mapping whose variable is geostationary. Prints one line per check;
exits 0 when all pass, 1 otherwise.
"""

import sys

from osgeo import gdal, osr

gdal.UseExceptions()


def proj4_params(srs):
    """Returns the +key=value pairs of the CRS's PROJ string."""
    out = {}
    for part in srs.ExportToProj4().split():
        key, _, value = part.lstrip("+").partition("=")
        out[key] = value
    return out


def gdal_georef(path):
    ds = gdal.Open(path)
    srs = ds.GetSpatialRef()
    return ds.GetGeoTransform(can_return_null=True), srs, (ds.RasterYSize, ds.RasterXSize)


def close(a, b, rel=1e-6):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1.0)


def check_gdal(path, ref_gt, ref_p, factor):
    target = path
    if path.endswith(".nc"):
        target = "NETCDF:" + path
        ds = gdal.Open(path)
        subs = ds.GetSubDatasets()
        if subs:
            target = subs[0][0]
    gt, srs, _ = gdal_georef(target)
    if srs is None:
        return f"{path}: GDAL sees no CRS"
    p = proj4_params(srs)
    if p.get("proj") != "geos":
        return f"{path}: GDAL CRS is {srs.ExportToProj4()}, not +proj=geos"
    for key in ("lon_0", "h", "sweep"):
        a, b = p.get(key), ref_p.get(key)
        if key == "sweep":
            if a != b:
                return f"{path}: sweep {a}, input {b}"
        elif a is None or b is None or not close(float(a), float(b)):
            return f"{path}: {key} {a}, input {b}"
    if gt is None:
        return f"{path}: GDAL sees no geotransform"
    want = list(ref_gt)
    for i in (1, 2, 4, 5):
        want[i] *= factor
    for i in range(6):
        if not close(gt[i], want[i]) and not (want[i] == 0 and abs(gt[i]) < 1e-6):
            return f"{path}: geotransform {gt}, want {tuple(want)}"
    print(f"ok: {path}: GDAL {srs.ExportToProj4()} geotransform {gt}")
    return None


def check_xarray(path):
    import xarray as xr

    if path.endswith(".zarr"):
        ds = xr.open_zarr(path)
    else:
        ds = xr.open_dataset(path)
    data = [v for v in ds.data_vars if ds[v].ndim == 2]
    if len(data) != 1:
        return f"{path}: xarray finds 2-D variables {data}, want one"
    var = ds[data[0]]
    for dim, n in zip(("y", "x"), var.shape):
        if dim not in ds.coords or ds.coords[dim].shape != (n,):
            return f"{path}: xarray lacks coordinate {dim} of length {n} (coords {list(ds.coords)})"
    gm = var.attrs.get("grid_mapping") or var.encoding.get("grid_mapping")
    if gm is None or gm not in ds.variables:
        return f"{path}: {data[0]} has no grid_mapping naming a variable ({gm})"
    if ds[gm].attrs.get("grid_mapping_name") != "geostationary":
        return f"{path}: grid mapping {gm} is not geostationary"
    print(f"ok: {path}: xarray coordinates {list(ds.coords)}, grid_mapping {gm}")
    ds.close()
    return None


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    ref_gt, ref_srs, _ = gdal_georef(f"NETCDF:{argv[1]}:Rad")
    if ref_srs is None or ref_gt is None:
        print(f"FAIL: GDAL does not georeference the input {argv[1]}")
        return 1
    ref_p = proj4_params(ref_srs)
    fails = []
    for arg in argv[2:]:
        path, _, factor = arg.rpartition(":")
        for err in (check_gdal(path, ref_gt, ref_p, int(factor)),
                    check_xarray(path) if not path.endswith(".tif") else None):
            if err:
                print("FAIL:", err)
                fails.append(err)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
