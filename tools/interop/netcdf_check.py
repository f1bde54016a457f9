#!/usr/bin/python3
"""Check a NetCDF classic file written by chunkpipe with netCDF4-python and xarray.

Usage:
    netcdf_check.py OUT.nc EXPECTED.npy [--var NAME] [--dims Y,X] [--units U]
                    [--long-name TEXT] [--fill VALUE] [--history TEXT]

Checks, with both libraries:
  * the file is NETCDF3_CLASSIC, NETCDF3_64BIT_OFFSET or NETCDF3_64BIT_DATA;
  * the data variable (default: "data") has the dimensions (default: y, x),
    the shape, the dtype and exactly the values of EXPECTED.npy, read raw
    (no masking or scaling): NaN at the same positions, every other value
    bit-identical;
  * through xarray's CF decoding, NaN positions still match (for float data);
  * the attributes: units and long_name when given; _FillValue of the
    variable's dtype (NaN by default for floating-point data, or --fill);
    global Conventions = "CF-1.8" and history when given;
  * coordinate variables, when present: one-dimensional, named after their
    dimension, of the dimension's length, finite, and exposed by xarray as
    coordinates of the data variable.

Exit status 0 when every check passes, 1 otherwise (each failure printed).
"""
import argparse
import math
import sys

import netCDF4
import numpy as np
import xarray as xr

FORMATS = {"NETCDF3_CLASSIC", "NETCDF3_64BIT_OFFSET", "NETCDF3_64BIT_DATA"}


def same_values(got, want):
    """Exact comparison: equal shapes and dtypes, NaN where NaN, bits elsewhere."""
    if got.shape != want.shape:
        return "shape %s, want %s" % (got.shape, want.shape)
    if got.dtype.newbyteorder("=") != want.dtype.newbyteorder("="):
        return "dtype %s, want %s" % (got.dtype, want.dtype)
    got = np.ascontiguousarray(got, dtype=got.dtype.newbyteorder("="))
    want = np.ascontiguousarray(want, dtype=want.dtype.newbyteorder("="))
    if got.dtype.kind == "f":
        gn, wn = np.isnan(got), np.isnan(want)
        if not np.array_equal(gn, wn):
            return "NaN at %d positions, want %d (first difference at %s)" % (
                gn.sum(), wn.sum(), np.argwhere(gn != wn)[0].tolist())
        ok = ~wn
        gb = got[ok].view("u%d" % got.itemsize)
        wb = want[ok].view("u%d" % want.itemsize)
    else:
        gb, wb = got.ravel(), want.ravel()
    if not np.array_equal(gb, wb):
        i = int(np.argmax(gb != wb))
        return "%d values differ (first: %r, want %r)" % (int((gb != wb).sum()), gb[i], wb[i])
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("nc")
    p.add_argument("npy")
    p.add_argument("--var", default="data")
    p.add_argument("--dims", default="y,x")
    p.add_argument("--units")
    p.add_argument("--long-name")
    p.add_argument("--fill", type=float)
    p.add_argument("--history")
    a = p.parse_args()
    want = np.load(a.npy)
    dims = tuple(a.dims.split(","))
    errors = []

    def check(cond, msg):
        if not cond:
            errors.append(msg)

    with netCDF4.Dataset(a.nc) as ds:
        ds.set_auto_maskandscale(False)
        check(ds.data_model in FORMATS, "netCDF4: format %s is not NetCDF classic" % ds.data_model)
        if a.var not in ds.variables:
            errors.append("netCDF4: no variable %s (have %s)" % (a.var, list(ds.variables)))
        else:
            v = ds.variables[a.var]
            check(v.dimensions == dims, "netCDF4: dims %s, want %s" % (v.dimensions, dims))
            err = same_values(v[:], want)
            check(err is None, "netCDF4: %s: %s" % (a.var, err))
            attrs = {k: v.getncattr(k) for k in v.ncattrs()}
            if a.units is not None:
                check(attrs.get("units") == a.units, "netCDF4: units %r, want %r" % (attrs.get("units"), a.units))
            if a.long_name is not None:
                check(attrs.get("long_name") == a.long_name, "netCDF4: long_name %r, want %r" % (attrs.get("long_name"), a.long_name))
            if want.dtype.kind == "f" or a.fill is not None:
                fv = attrs.get("_FillValue")
                if fv is None:
                    errors.append("netCDF4: no _FillValue")
                else:
                    check(np.asarray(fv).dtype == v.dtype, "netCDF4: _FillValue of type %s, want %s" % (np.asarray(fv).dtype, v.dtype))
                    wf = a.fill if a.fill is not None else math.nan
                    check((math.isnan(wf) and math.isnan(float(fv))) or float(fv) == wf, "netCDF4: _FillValue %r, want %r" % (fv, wf))
            for i, d in enumerate(v.dimensions):
                if d in ds.variables:
                    c = ds.variables[d]
                    check(c.dimensions == (d,), "netCDF4: coordinate %s has dims %s" % (d, c.dimensions))
                    check(len(c) == v.shape[i], "netCDF4: coordinate %s has %d values, want %d" % (d, len(c), v.shape[i]))
                    if c.dtype.kind == "f":
                        check(bool(np.all(np.isfinite(c[:]))), "netCDF4: coordinate %s is not finite" % d)
        g = {k: ds.getncattr(k) for k in ds.ncattrs()}
        check(g.get("Conventions") == "CF-1.8", "netCDF4: Conventions %r, want 'CF-1.8'" % g.get("Conventions"))
        if a.history is not None:
            check(g.get("history") == a.history, "netCDF4: history %r, want %r" % (g.get("history"), a.history))

    with xr.open_dataset(a.nc, mask_and_scale=False, decode_times=False) as ds:
        if a.var in ds:
            v = ds[a.var]
            check(v.dims == dims, "xarray: dims %s, want %s" % (v.dims, dims))
            err = same_values(v.values, want)
            check(err is None, "xarray: %s: %s" % (a.var, err))
            for d in v.dims:
                if d in ds.variables and ds[d].ndim == 1:
                    check(d in v.coords, "xarray: %s is not a coordinate of %s" % (d, a.var))
        else:
            errors.append("xarray: no variable %s" % a.var)
        if a.units is not None:
            check(ds[a.var].attrs.get("units") == a.units, "xarray: units %r" % ds[a.var].attrs.get("units"))
        check(ds.attrs.get("Conventions") == "CF-1.8", "xarray: Conventions %r" % ds.attrs.get("Conventions"))
    if want.dtype.kind == "f":
        with xr.open_dataset(a.nc, decode_times=False) as ds:
            gn, wn = np.isnan(ds[a.var].values), np.isnan(want)
            check(np.array_equal(gn, wn), "xarray (CF-decoded): NaN at %d positions, want %d" % (gn.sum(), wn.sum()))

    for e in errors:
        print("netcdf_check: %s: %s" % (a.nc, e), file=sys.stderr)
    if not errors:
        print("netcdf_check: %s: ok (%s %s)" % (a.nc, want.dtype, "x".join(map(str, want.shape))))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
