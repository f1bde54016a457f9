#!/usr/bin/python3
"""Oracle for the chunkpipe HDF5 reader (formats/hdf5).

Walks every numeric dataset of the real test files (abi/, netcdf/, hdf5/ under
the shared real-data directory) with h5py and writes a compact JSON summary to
testdata/hdf5/oracle.json: shape, raw dtype (no scaling, no masking), count,
float64 sum/min/max, CRC32 (IEEE) of the raw little-endian bytes in C order and
a few sample values at fixed flat positions. The Go tests compare against it
and need no Python.

Usage (from the repository root):
    /usr/bin/python3 tools/oracle/hdf5_oracle.py [REAL_DATA_DIR] [OUT_JSON]
"""
import json
import math
import os
import sys
import zlib

import h5py
import numpy as np

SUBDIRS = ("abi", "netcdf", "hdf5")


def num(v):
    v = float(v)
    if math.isnan(v) or math.isinf(v):
        return repr(v)  # "nan", "inf", "-inf": JSON has no such numbers
    return v


def summarize(name, ds):
    arr = ds[()]
    arr = np.asarray(arr)
    le = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
    raw = np.ascontiguousarray(le).tobytes()
    flat = arr.reshape(-1)
    n = flat.size
    ent = {
        "path": "/" + name.lstrip("/"),
        "shape": list(arr.shape),
        "dtype": arr.dtype.str,
        "count": int(n),
        "crc32": zlib.crc32(raw) & 0xFFFFFFFF,
    }
    if n:
        f64 = flat.astype(np.float64)
        ent["sum"] = num(np.sum(f64))
        ent["min"] = num(np.min(f64))
        ent["max"] = num(np.max(f64))
        idx = sorted(set([0, n // 3, n // 2, (2 * n) // 3, n - 1]))
        ent["samples"] = [[int(i), num(flat[i])] for i in idx]
    return ent


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", ".."))
    real = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "CHUNKPIPE_REAL_DATA", os.path.join(root, "..", "shared", "testdata", "real"))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "testdata", "hdf5", "oracle.json")
    files = []
    for sub in SUBDIRS:
        d = os.path.join(real, sub)
        if not os.path.isdir(d):
            continue
        for fn in sorted(os.listdir(d)):
            p = os.path.join(d, fn)
            if not h5py.is_hdf5(p):
                continue
            entries = []
            with h5py.File(p, "r") as f:
                def visit(name, obj):
                    if isinstance(obj, h5py.Dataset) and obj.dtype.kind in "iuf":
                        entries.append(summarize(name, obj))
                f.visititems(visit)
            entries.sort(key=lambda e: e["path"])
            files.append({"file": sub + "/" + fn, "size": os.path.getsize(p), "datasets": entries})
    with open(out, "w") as fh:
        json.dump({"generator": "tools/oracle/hdf5_oracle.py", "h5py": h5py.__version__,
                   "hdf5": h5py.version.hdf5_version, "files": files}, fh, separators=(",", ":"))
        fh.write("\n")
    print("wrote", out, os.path.getsize(out), "bytes,", sum(len(f["datasets"]) for f in files), "datasets")


if __name__ == "__main__":
    main()
