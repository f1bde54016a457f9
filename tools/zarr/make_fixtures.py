#!/usr/bin/python3
"""Generate the Zarr v2 fixtures that formats/zarr tests read.

Run once from the repository root with Debian's python3-zarr (zarr-python
2.x) and python3-numcodecs:

    /usr/bin/python3 tools/zarr/make_fixtures.py

Each fixture NAME.zarr in testdata/zarr/ comes with NAME.npy, the array
zarr-python reads back from it, in little-endian C order. Group fixtures
hold one .npy per member, named NAME.MEMBER.npy (slashes become dots).
The Go tests compare chunkpipe's reads with the .npy files exactly.
"""

import os
import shutil

import numcodecs
import numpy as np
import zarr

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "testdata", "zarr")
OUT = os.path.normpath(OUT)


def data(shape, dtype, seed, smooth=False):
    """Return seeded test data with runs and repeats, so LZ codecs find matches."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    n = shape[0] * shape[1]
    if smooth:
        i = np.arange(n)
        base = np.round(50 * np.sin(i / 40.0) + 20 * np.cos(i / 7.0) + rng.integers(0, 3, size=n))
        base = base.astype(dt)
    elif dt.kind == "f":
        base = rng.normal(100.0, 30.0, size=n).astype(dt)
        base[::7] = np.round(base[::7])
    else:
        info = np.iinfo(dt)
        lo, hi = max(info.min, -30000), min(info.max, 30000)
        base = rng.integers(lo, hi, size=n, endpoint=True).astype(dt)
    # Repeat stretches at short and far distances (blosclz far matches).
    k = min(200, n // 3)
    base[n // 3 : n // 3 + k] = base[:k]
    base[n // 2 : n // 2 + min(64, n - n // 2)] = base[n // 2]
    return base.reshape(shape)


def save_expected(name, arr):
    a = np.ascontiguousarray(arr)
    a = a.astype(a.dtype.newbyteorder("<"))
    np.save(os.path.join(OUT, name + ".npy"), a)


def fresh(name):
    path = os.path.join(OUT, name + ".zarr")
    if os.path.exists(path):
        shutil.rmtree(path)
    return path


def array_fixture(name, shape, chunks, dtype, compressor, seed, smooth=False, **kw):
    path = fresh(name)
    z = zarr.open_array(path, mode="w", shape=shape, chunks=chunks, dtype=dtype,
                        compressor=compressor, **kw)
    a = data(shape, dtype, seed, smooth)
    z[...] = a
    save_expected(name, z[...])


def main():
    os.makedirs(OUT, exist_ok=True)
    Blosc = numcodecs.Blosc
    array_fixture("zlib_f4", (37, 53), (10, 16), "<f4", numcodecs.Zlib(level=1), 1)
    array_fixture("gzip_i2", (40, 33), (16, 16), "<i2", numcodecs.GZip(level=5), 2)
    array_fixture("zstd_u2", (45, 61), (20, 20), "<u2", numcodecs.Zstd(level=3), 3)
    array_fixture("lz4_i4", (30, 30), (16, 16), "<i4", numcodecs.LZ4(), 4)
    array_fixture("none_u1", (19, 23), (8, 8), "|u1", None, 5)
    array_fixture("blosc_lz4_shuffle_f4", (150, 140), (128, 100), "<f4",
                  Blosc(cname="lz4", clevel=5, shuffle=Blosc.SHUFFLE, blocksize=4096), 6)
    array_fixture("blosc_lz4_noshuffle_u1", (70, 50), (64, 40), "|u1",
                  Blosc(cname="lz4", clevel=5, shuffle=Blosc.NOSHUFFLE), 7)
    array_fixture("blosc_blosclz_shuffle_i4", (128, 96), (128, 96), "<i4",
                  Blosc(cname="blosclz", clevel=9, shuffle=Blosc.SHUFFLE), 8)
    array_fixture("blosc_blosclz_noshuffle_f8", (100, 100), (80, 80), "<f8",
                  Blosc(cname="blosclz", clevel=1, shuffle=Blosc.NOSHUFFLE, blocksize=4096), 9, smooth=True)
    array_fixture("blosc_blosclz_shuffle_u2", (300, 300), (256, 200), "<u2",
                  Blosc(cname="blosclz", clevel=5, shuffle=Blosc.SHUFFLE, blocksize=4096), 26, smooth=True)
    array_fixture("blosc_zstd_bitshuffle_f8", (48, 40), (24, 40), "<f8",
                  Blosc(cname="zstd", clevel=3, shuffle=Blosc.BITSHUFFLE), 10)
    array_fixture("blosc_zlib_shuffle_i8", (33, 20), (16, 16), "<i8",
                  Blosc(cname="zlib", clevel=4, shuffle=Blosc.SHUFFLE), 11)
    array_fixture("nested_f4", (30, 41), (8, 8), "<f4", numcodecs.Zstd(level=1), 12,
                  dimension_separator="/")
    array_fixture("forder_i4", (21, 34), (8, 10), "<i4", numcodecs.Zlib(level=1), 13,
                  order="F")
    array_fixture("bigendian_f8", (25, 26), (10, 10), ">f8", numcodecs.Zlib(level=1), 14)
    array_fixture("bigendian_i2", (25, 26), (10, 10), ">i2", None, 15)
    array_fixture("one_by_one_f4", (1, 1), (1, 1), "<f4", numcodecs.Zstd(level=1), 16)
    array_fixture("big_chunk_u2", (5, 7), (16, 16), "<u2", numcodecs.Zlib(level=1), 17)

    # Fill values and missing chunks: only part of the array is written.
    path = fresh("fill_nan_f4")
    z = zarr.open_array(path, mode="w", shape=(40, 40), chunks=(16, 16), dtype="<f4",
                        fill_value=np.nan, compressor=numcodecs.Zstd(level=1))
    z[0:16, 0:32] = data((16, 32), "<f4", 18)
    z[32:40, 16:30] = data((8, 14), "<f4", 19)
    save_expected("fill_nan_f4", z[...])
    path = fresh("fill_int_i2")
    z = zarr.open_array(path, mode="w", shape=(20, 30), chunks=(8, 8), dtype="<i2",
                        fill_value=-999, compressor=numcodecs.Zlib(level=1))
    z[8:16, 8:24] = data((8, 16), "<i2", 20)
    save_expected("fill_int_i2", z[...])
    path = fresh("fill_inf_f8")
    z = zarr.open_array(path, mode="w", shape=(10, 12), chunks=(5, 5), dtype="<f8",
                        fill_value=-np.inf, compressor=None)
    z[0:5, 0:5] = data((5, 5), "<f8", 21)
    save_expected("fill_inf_f8", z[...])

    # A group with two 2-D arrays, a 1-D array and a nested group.
    path = fresh("group")
    g = zarr.open_group(path, mode="w")
    g.attrs["title"] = "two arrays"
    g.attrs["platform_ID"] = "G16"
    rad = g.create_dataset("Rad", shape=(24, 30), chunks=(12, 12), dtype="<i2",
                           compressor=numcodecs.Zstd(level=1), fill_value=-1)
    rad[...] = data((24, 30), "<i2", 22)
    rad.attrs["_ARRAY_DIMENSIONS"] = ["y", "x"]
    rad.attrs["scale_factor"] = 0.5
    rad.attrs["add_offset"] = -10.0
    rad.attrs["units"] = "mW m-2 sr-1 (cm-1)-1"
    rad.attrs["valid_range"] = [0, 4095]
    dqf = g.create_dataset("DQF", shape=(24, 30), chunks=(24, 30), dtype="|u1",
                           compressor=numcodecs.Zlib(level=1))
    dqf[...] = data((24, 30), "|u1", 23)
    t = g.create_dataset("t", shape=(5,), dtype="<f8")
    t[...] = np.arange(5.0)
    sub = g.create_group("sub")
    deep = sub.create_dataset("deep", shape=(6, 7), chunks=(4, 4), dtype="<f4",
                              compressor=numcodecs.Zlib(level=1))
    deep[...] = data((6, 7), "<f4", 24)
    save_expected("group.Rad", rad[...])
    save_expected("group.DQF", dqf[...])
    save_expected("group.sub.deep", deep[...])
    zarr.consolidate_metadata(path)

    # An xarray dataset: coordinates are 1-D, one 2-D data variable.
    try:
        import xarray as xr
    except ImportError:
        xr = None
    if xr is not None:
        path = fresh("xarray")
        a = data((20, 25), "<f4", 25)
        ds = xr.Dataset({"CMI": (("y", "x"), a, {"units": "K"})},
                        coords={"y": np.arange(20.0), "x": np.arange(25.0)},
                        attrs={"title": "xarray dataset"})
        ds.to_zarr(path, mode="w", encoding={"CMI": {"chunks": (8, 8)}})
        save_expected("xarray", a)


if __name__ == "__main__":
    main()
