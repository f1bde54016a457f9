#!/usr/bin/python3
"""Interop helpers that use the tools users already have.

  foreign.py calibrate IN.npy OUT.npy        numpy loads chunkpipe's calibrate output OUT.npy
                                             and it equals the anchors' numpy calibrate of IN.npy
  foreign.py write-zarr DIR STORE EXPECT.npy zarr-python writes a store (zlib, blosc-lz4
                                             and zstd arrays in a group) and the values as .npy
  foreign.py write-tif FILE.tif EXPECT.npy   GDAL writes a tiled deflate GeoTIFF with a
                                             horizontal predictor, and the values as .npy
  foreign.py same A.npy B.npy                two .npy files hold the same values (NaN = NaN)

Exit status 0 on success, 1 on a mismatch (printed).
"""
import os
import sys

import numpy as np


def same(a, b, what):
    a, b = np.load(a), np.load(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        print(f"FAIL {what}: {a.shape} {a.dtype} vs {b.shape} {b.dtype}")
        return 1
    if a.dtype.kind == "f":
        ok = np.array_equal(np.isnan(a), np.isnan(b)) and np.array_equal(a[~np.isnan(a)], b[~np.isnan(b)])
    else:
        ok = np.array_equal(a, b)
    print(("ok  " if ok else "FAIL ") + what)
    return 0 if ok else 1


def main():
    cmd = sys.argv[1]
    if cmd == "calibrate":
        sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "anchors"))
        from dask_pipeline import calibrate_np
        ref = calibrate_np(np.load(sys.argv[2]))
        got = np.load(sys.argv[3])
        ok = got.shape == ref.shape and got.dtype == np.float32 and np.array_equal(np.isnan(got), np.isnan(ref)) \
            and np.allclose(got[~np.isnan(got)], ref[~np.isnan(ref)], rtol=1e-6, atol=0)
        print(("ok  " if ok else "FAIL ") + "numpy loads chunkpipe's .npy and it equals numpy's calibrate")
        return 0 if ok else 1
    if cmd == "write-zarr":
        import zarr
        from numcodecs import Blosc, Zlib, Zstd
        store, expect = sys.argv[2], sys.argv[3]
        rng = np.random.default_rng(3)
        data = rng.normal(280, 10, (300, 410)).astype(np.float32)
        data[rng.random(data.shape) < 0.01] = np.nan
        root = zarr.open_group(store, mode="w")
        root.create_dataset("zlib", data=data, chunks=(64, 100), compressor=Zlib(level=3))
        root.create_dataset("blosc", data=data, chunks=(128, 128), compressor=Blosc(cname="lz4", clevel=5, shuffle=Blosc.SHUFFLE))
        root.create_dataset("zstd", data=data, chunks=(100, 410), compressor=Zstd(level=3))
        np.save(expect, data)
        return 0
    if cmd == "write-tif":
        from osgeo import gdal
        path, expect = sys.argv[2], sys.argv[3]
        rng = np.random.default_rng(4)
        data = rng.integers(0, 4000, (333, 517)).astype(np.uint16)
        drv = gdal.GetDriverByName("GTiff")
        ds = drv.Create(path, data.shape[1], data.shape[0], 1, gdal.GDT_UInt16,
                        options=["TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=128", "COMPRESS=DEFLATE", "PREDICTOR=2"])
        ds.GetRasterBand(1).WriteArray(data)
        ds.SetGeoTransform([500000, 30, 0, 4000000, 0, -30])
        ds = None
        np.save(expect, data)
        return 0
    if cmd == "same":
        return same(sys.argv[2], sys.argv[3], f"{os.path.basename(sys.argv[2])} == {os.path.basename(sys.argv[3])}")
    print(__doc__)
    return 1


if __name__ == "__main__":
    sys.exit(main())
