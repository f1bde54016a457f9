#!/usr/bin/python3
"""Generate the small HDF5 fixtures used by formats/hdf5 unit tests.

Writes testdata/hdf5/*.h5 (each well under 100 KB) covering features the real
files do not: superblock v0/v2/v3, old- and new-style groups, contiguous and
compact layouts, every layout-v4 chunk index (single chunk, implicit, fixed
array, extensible array, v2 B-tree), fletcher32, big-endian types, fixed and
variable-length string attributes, scalar dataspaces, missing chunks (fill
value), compound/enum types, soft/external links, a hard-link cycle and an
unsupported filter (LZF). It also writes testdata/hdf5/fixtures.json with
the same per-dataset summary as hdf5_oracle.py, so the Go tests need no
Python.

Usage (from the repository root): /usr/bin/python3 tools/oracle/make_hdf5_fixtures.py
"""
import json
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hdf5_oracle import summarize  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "testdata", "hdf5")


def ramp(shape, dtype, scale=1):
    n = int(np.prod(shape))
    return (np.arange(n) * scale % 251).astype(dtype).reshape(shape)


def common_attrs(obj):
    obj.attrs["fixed_str"] = np.bytes_("hello")
    obj.attrs.create("vlen_str", "variable length", dtype=h5py.string_dtype("utf-8"))
    obj.attrs.create("vlen_str_array", ["a", "bc", "def"], dtype=h5py.string_dtype("ascii"))
    obj.attrs["fixed_str_array"] = np.array([b"x", b"yy", b"zzz"], dtype="S3")
    obj.attrs["scalar_f64"] = np.float64(2.5)
    obj.attrs["be_i32"] = np.array([1, -2, 3], dtype=">i4")
    obj.attrs["be_f32"] = np.array([1.5, -0.25], dtype=">f4")
    obj.attrs["u16"] = np.array([65535, 1], dtype="<u2")


def v0_file(path):
    # superblock v0, object header v1, old-style groups (symbol table,
    # v1 B-tree, local heap), layout v3 with v1 B-tree chunk index.
    with h5py.File(path, "w", libver="earliest") as f:
        common_attrs(f)
        g = f.create_group("grp/sub")
        g.attrs["note"] = np.bytes_("nested")
        f.create_dataset("contiguous", data=ramp((7, 9), "<i2"))
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_layout(h5py.h5d.COMPACT)
        sp = h5py.h5s.create_simple((3, 4))
        h5py.h5d.create(f.id, b"compact", h5py.h5t.IEEE_F32LE, sp, dcpl=dcpl)
        f["compact"][...] = ramp((3, 4), "<f4") / 4
        g.create_dataset("chunked_deflate", data=ramp((20, 30), "<u2", 7), chunks=(6, 7), compression="gzip")
        g.create_dataset("be_f64", data=(ramp((5, 6), "<f8") - 100.5).astype(">f8"), chunks=(2, 4))
        g.create_dataset("be_i32", data=(ramp((11,), "<i4") - 50).astype(">i4"))
        f.create_dataset("scalar", data=np.float32(3.25))
        f.create_dataset("fletcher", data=ramp((16, 16), "<i4", 3), chunks=(5, 6), fletcher32=True,
                         shuffle=True, compression="gzip")
        d = f.create_dataset("partial_fill", shape=(10, 10), dtype="<i2", chunks=(4, 4), fillvalue=-7)
        d[0:4, 0:4] = 1
        d[8:10, 8:10] = 2
        f.create_dataset("lzf", data=ramp((10, 10), "<i2"), chunks=(5, 5), compression="lzf")
        f["soft"] = h5py.SoftLink("/grp/sub/be_i32")
        f["ext"] = h5py.ExternalLink("other.h5", "/x")
        f["grp/sub/up"] = f["grp"]  # hard link to an ancestor: a cycle


def latest_file(path, libver):
    # superblock v2 (libver v108) or v3 (latest): object header v2, new-style
    # groups; with "latest" the layout v4 chunk indexes.
    with h5py.File(path, "w", libver=libver) as f:
        common_attrs(f)
        f.create_dataset("single", data=ramp((6, 7), "<i4"), chunks=(6, 7))
        f.create_dataset("single_filtered", data=ramp((6, 7), "<i4"), chunks=(6, 7), compression="gzip")
        f.create_dataset("fixed_array", data=ramp((30, 40), "<f4", 3) / 8, chunks=(7, 9), compression="gzip")
        if libver == "latest":  # many chunks: large v1 B-trees in the v108 file
            f.create_dataset("fixed_array_paged", data=ramp((64, 40), "<u1"), chunks=(1, 2))
            d = f.create_dataset("ext_array", shape=(300, 6), maxshape=(None, 6), dtype="<i2", chunks=(1, 6))
            d[...] = ramp((300, 6), "<i2", 5)
            d = f.create_dataset("ext_array_filtered", shape=(10, 600), maxshape=(10, None), dtype="<i4",
                                 chunks=(10, 2), compression="gzip", shuffle=True, fletcher32=True)
            d[...] = ramp((10, 600), "<i4", 11)
        d = f.create_dataset("btree2", shape=(40, 40), maxshape=(None, None), dtype="<f8", chunks=(4, 4))
        d[...] = ramp((40, 40), "<f8", 13) * 0.5
        d = f.create_dataset("btree2_filtered", shape=(40, 41), maxshape=(None, None), dtype=">i2",
                             chunks=(3, 5), compression="gzip", fillvalue=-1)
        d[:30, :] = ramp((30, 41), ">i2", 17)
        d = f.create_dataset("sparse_fixed", shape=(20, 20), dtype="<i4", chunks=(5, 5), fillvalue=42)
        d[5:10, 5:10] = 7
        f.create_dataset("be_u16", data=ramp((9, 9), ">u2", 300), chunks=(4, 4))
        f.create_dataset("scalar_i64", data=np.int64(-1234567890123))
        dense = f.create_dataset("dense_attrs", data=np.arange(5, dtype="<i8"))
        for i in range(40):
            dense.attrs["attr%02d" % i] = np.array([i, i * 2], dtype="<i4")
        g = f.create_group("many")
        for i in range(30):
            g.create_dataset("d%02d" % i, data=np.full((2,), i, dtype="<i1"))
        cmp = np.zeros(3, dtype=[("a", "<i4"), ("b", ">f8")])
        cmp["a"] = [1, 2, 3]
        cmp["b"] = [0.5, 1.5, 2.5]
        f.create_dataset("compound", data=cmp)
        f.attrs["compound_attr"] = cmp[:1]
        et = h5py.enum_dtype({"RED": 0, "GREEN": 1}, basetype="i1")
        f.create_dataset("enum", data=np.array([0, 1, 1], dtype="i1"), dtype=et)
    if libver == "latest":
        # implicit index: early allocation, fill never, no filters
        with h5py.File(path, "a") as f:
            dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
            dcpl.set_chunk((4, 5))
            dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
            dcpl.set_fill_time(h5py.h5d.FILL_TIME_NEVER)
            sp = h5py.h5s.create_simple((10, 12))
            h5py.h5d.create(f.id, b"implicit", h5py.h5t.STD_I32LE, sp, dcpl=dcpl)
            f["implicit"][...] = ramp((10, 12), "<i4", 19)


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {
        "v0_classic.h5": lambda p: v0_file(p),
        "v2_v108.h5": lambda p: latest_file(p, "v108"),
        "v3_latest.h5": lambda p: latest_file(p, "latest"),
    }
    summary = []
    for name, make in files.items():
        p = os.path.join(OUT, name)
        if os.path.exists(p):
            os.remove(p)
        make(p)
        entries = []
        with h5py.File(p, "r") as f:
            def visit(n, obj):
                if isinstance(obj, h5py.Dataset) and obj.dtype.kind in "iuf":
                    if "lzf" in n:
                        return  # unsupported filter: tested for the error
                    entries.append(summarize(n, obj))
            f.visititems(visit)
        entries.sort(key=lambda e: e["path"])
        summary.append({"file": name, "size": os.path.getsize(p), "datasets": entries})
        print(name, os.path.getsize(p), "bytes")
    with open(os.path.join(OUT, "fixtures.json"), "w") as fh:
        json.dump({"generator": "tools/oracle/make_hdf5_fixtures.py", "h5py": h5py.__version__,
                   "hdf5": h5py.version.hdf5_version, "files": summary}, fh, separators=(",", ":"))
        fh.write("\n")


if __name__ == "__main__":
    main()
