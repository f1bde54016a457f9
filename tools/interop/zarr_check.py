#!/usr/bin/python3
"""Check a chunkpipe-written Zarr store against expected values.

Usage: zarr_check.py STORE.zarr EXPECTED.npy [VARIABLE]

Opens STORE with zarr-python (zarr.open_consolidated, then the array's own
.zarray) and with xarray (xr.open_zarr and xr.open_dataset(engine="zarr"),
consolidated metadata, no CF decoding), and compares the array with the
.npy exactly: same shape, same dtype, same values bit for bit (NaN equals
NaN). VARIABLE defaults to the store's only 2-D array. Exits 0 when every
check passes and 1 otherwise, printing one line per check.
"""

import sys

import numpy as np


def same(name, got, want):
    got = np.asarray(got)
    if got.shape != want.shape:
        return f"{name}: shape {got.shape}, want {want.shape}"
    if got.dtype.newbyteorder("=") != want.dtype.newbyteorder("="):
        return f"{name}: dtype {got.dtype}, want {want.dtype}"
    g = np.ascontiguousarray(got.astype(want.dtype.newbyteorder("=")))
    w = np.ascontiguousarray(want.astype(want.dtype.newbyteorder("=")))
    if w.dtype.kind == "f":
        gn, wn = np.isnan(g), np.isnan(w)
        if not np.array_equal(gn, wn):
            i = np.argwhere(gn != wn)[0]
            return f"{name}: NaN mismatch at {tuple(i)}: got {g[tuple(i)]}, want {w[tuple(i)]}"
        g, w = np.where(gn, 0, g), np.where(wn, 0, w)
    if not np.array_equal(g.view(np.uint8), w.view(np.uint8)):
        i = np.argwhere(g != w)
        where = tuple(i[0]) if len(i) else "(signed zero)"
        return f"{name}: values differ at {where}"
    return None


def pick(names_shapes, variable):
    if variable:
        return variable
    two = [n for n, s in names_shapes if len(s) == 2]
    if len(two) != 1:
        raise SystemExit(f"want exactly one 2-D array, found {two}; pass VARIABLE")
    return two[0]


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 1
    store, npy = argv[1], argv[2]
    variable = argv[3] if len(argv) == 4 else ""
    want = np.load(npy)
    failures = []

    import zarr

    def check(name, fn):
        try:
            msg = same(name, fn(), want)
        except Exception as e:  # noqa: BLE001 - report any failure to open or read
            msg = f"{name}: {type(e).__name__}: {e}"
        if msg:
            failures.append(msg)
            print("FAIL", msg)
        else:
            print("ok  ", name)

    group = zarr.open_consolidated(store, mode="r")
    members = []
    group.visititems(lambda n, o: members.append((n, o.shape)) if isinstance(o, zarr.Array) else None)
    var = pick(members, variable)
    check("zarr.open_consolidated", lambda: group[var][...])
    check("zarr.open_array", lambda: zarr.open_array(f"{store}/{var}", mode="r")[...])

    import xarray as xr

    opts = dict(mask_and_scale=False, decode_times=False, decode_coords=False)
    check("xarray.open_zarr", lambda: xr.open_zarr(store, consolidated=True, **opts)[var].values)
    check("xarray.open_dataset(engine=zarr)",
          lambda: xr.open_dataset(store, engine="zarr", chunks=None, **opts)[var].values)

    def dims():
        da = xr.open_zarr(store, consolidated=True, **opts)[var]
        if len(da.dims) != 2:
            raise ValueError(f"dims {da.dims}")
        return da.values
    check("xarray dims from _ARRAY_DIMENSIONS", dims)

    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
