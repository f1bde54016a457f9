#!/usr/bin/env python3
"""Check a reference index written by `chunkpipe index` with fsspec and zarr.

Usage: kerchunk_check.py INDEX.json FILE.nc

Opens INDEX.json with fsspec's ReferenceFileSystem and zarr-python, and
requires every array it describes to hold exactly the values netCDF4-python
reads (raw, unmasked and unscaled) from FILE.nc, the file it indexes, and
the same attributes. Exits 1 on any difference.
"""
import json
import sys

import fsspec
import netCDF4
import numpy as np
import zarr


def main():
    index, path = sys.argv[1], sys.argv[2]
    fs = fsspec.filesystem("reference", fo=index)
    group = zarr.open_group(fs.get_mapper(""), mode="r")
    nc = netCDF4.Dataset(path)
    nc.set_auto_maskandscale(False)
    failures = 0
    names = []
    group.visititems(lambda name, obj: names.append(name) if isinstance(obj, zarr.Array) else None)
    if len(names) < 5:
        print(f"FAIL: only {len(names)} arrays in {index}")
        return 1
    for name in names:
        got = group[name][...]
        var = nc[name]
        want = var[...]
        if got.shape != want.shape or got.dtype.newbyteorder("=") != want.dtype.newbyteorder("="):
            print(f"FAIL: {name}: {got.dtype}{got.shape} through the index, {want.dtype}{want.shape} in the file")
            failures += 1
            continue
        if not np.array_equal(got, np.asarray(want), equal_nan=got.dtype.kind == "f"):
            print(f"FAIL: {name}: values differ")
            failures += 1
            continue
        attrs = group[name].attrs.asdict()
        for key in var.ncattrs():
            if key in ("_FillValue", "_Netcdf4Dimid", "DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME"):
                continue
            a, b = attrs.get(key), var.getncattr(key)
            if isinstance(b, np.ndarray) and b.size == 1:
                b = b.item()
            if isinstance(b, np.generic):
                b = b.item()
            if isinstance(b, np.ndarray):
                b = b.tolist()
            if a != b and not (isinstance(b, float) and np.isnan(b) and isinstance(a, float) and np.isnan(a)):
                print(f"FAIL: {name}: attribute {key} = {a!r} through the index, {b!r} in the file")
                failures += 1
    print(f"kerchunk_check: {len(names)} arrays of {index} read by fsspec+zarr, {failures} differences")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
