#!/usr/bin/python3
"""Compares chunkpipe's resampled GeoTIFF with gdalwarp's.

Usage: compare.py near|bilinear OURS.tif GDAL.tif [--min-identical 0.999] [--rtol 1e-4]

Both must have the same size and geotransform. Missing pixels are NaN or
the band's nodata value. nearest: the share of pixels that are identical
(values equal, or both missing) must reach --min-identical. bilinear: among
pixels both have, |ours - gdal| <= rtol * |gdal| must hold for the same
share, and the missing masks must agree on that share too. Prints one line
of figures and exits 1 on failure.
"""
import sys
import numpy as np
from osgeo import gdal


def load(path):
    ds = gdal.Open(path)
    band = ds.GetRasterBand(1)
    a = band.ReadAsArray().astype(np.float64)
    nd = band.GetNoDataValue()
    if nd is not None and not np.isnan(nd):
        a[a == nd] = np.nan
    return a, ds.GetGeoTransform()


def main():
    args = sys.argv[1:]
    mode, ours, ref = args[0], args[1], args[2]
    min_identical, rtol = 0.999, 1e-4
    if "--min-identical" in args:
        min_identical = float(args[args.index("--min-identical") + 1])
    if "--rtol" in args:
        rtol = float(args[args.index("--rtol") + 1])
    a, gta = load(ours)
    b, gtb = load(ref)
    if a.shape != b.shape or not np.allclose(gta, gtb, rtol=0, atol=1e-9 * max(abs(x) for x in gtb)):
        print(f"FAIL grids differ: {a.shape} {gta} vs {b.shape} {gtb}")
        return 1
    n = a.size
    na, nb = np.isnan(a), np.isnan(b)
    both = ~na & ~nb
    mask_agree = np.count_nonzero(na == nb) / n
    if mode == "near":
        same = np.count_nonzero((a == b) | (na & nb)) / n
        ok = same >= min_identical
        print(f"{'ok' if ok else 'FAIL'} nearest: {same * 100:.4f} % of {n} pixels identical "
              f"({np.count_nonzero(both)} valid in both; missing masks agree on {mask_agree * 100:.4f} %)")
    else:
        rel = np.abs(a[both] - b[both]) / np.maximum(np.abs(b[both]), 1e-30)
        within = (np.count_nonzero(rel <= rtol) + np.count_nonzero(na & nb)) / n
        ok = within >= min_identical
        print(f"{'ok' if ok else 'FAIL'} bilinear: {within * 100:.4f} % of {n} pixels within rtol {rtol:g} "
              f"(median rel diff {np.median(rel):.2e}, 99.9th pct {np.percentile(rel, 99.9):.2e}, max {rel.max():.2e}; "
              f"missing masks agree on {mask_agree * 100:.4f} %)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
