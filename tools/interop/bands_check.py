#!/usr/bin/python3
"""Check a chunkpipe-written multi-band GeoTIFF against GDAL.

Usage: bands_check.py STACK.tif BAND1.npy BAND2.npy ...

GDAL must open STACK with one band per .npy, pixel-interleaved, each band
equal bit for bit (NaN equal to NaN) to its .npy and carrying a
description; a COG (LAYOUT=COG) must also pass GDAL's
validate_cloud_optimized_geotiff with the full check. Prints one line per
check; exits 0 when all pass, 1 otherwise.
"""

import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    path, npys = argv[1], argv[2:]
    ds = gdal.Open(path)
    fails = []
    if ds.RasterCount != len(npys):
        fails.append(f"{path}: {ds.RasterCount} bands, want {len(npys)}")
    if ds.GetMetadataItem("INTERLEAVE", "IMAGE_STRUCTURE") != "PIXEL":
        fails.append(f"{path}: interleave {ds.GetMetadataItem('INTERLEAVE', 'IMAGE_STRUCTURE')}, want PIXEL")
    for k, npy in enumerate(npys[: ds.RasterCount], start=1):
        band = ds.GetRasterBand(k)
        got, want = band.ReadAsArray(), np.load(npy)
        if got.shape != want.shape or got.tobytes() != want.astype(got.dtype).tobytes():
            fails.append(f"{path}: band {k} differs from {npy}")
        elif not band.GetDescription():
            fails.append(f"{path}: band {k} has no description")
        else:
            print(f"ok: {path}: band {k} ({band.GetDescription()}) equals {npy}")
    if ds.GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE") == "COG":
        from osgeo_utils.samples import validate_cloud_optimized_geotiff as v

        warnings, errors, _ = v.validate(path, full_check=True)
        if errors:
            fails.append(f"{path}: COG validation: {errors}")
        else:
            print(f"ok: {path}: valid COG with {ds.GetRasterBand(1).GetOverviewCount()} overview(s)")
    for f in fails:
        print("FAIL:", f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
