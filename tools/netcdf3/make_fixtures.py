#!/usr/bin/python3
"""Make the NetCDF classic fixtures for formats/netcdf3 tests.

Writes small files with netCDF4-python in the three classic formats
(NETCDF3_CLASSIC = CDF-1, NETCDF3_64BIT_OFFSET = CDF-2, NETCDF3_64BIT_DATA =
CDF-5) to testdata/netcdf3/, one .npy per variable holding the exact values
written (raw, unscaled, unmasked), the `ncdump -h` text of each file
(.cdl), and manifest.json describing every file:
format version, dimensions, variables with their dims and attributes, and
global attributes. Floating-point attribute values that JSON cannot hold are
written as the strings "nan", "inf" and "-inf".

The Go tests read only the outputs; Python is needed once, to regenerate them.

Usage (from the repository root):
    /usr/bin/python3 tools/netcdf3/make_fixtures.py [OUT_DIR]
"""
import json
import math
import os
import sys

import subprocess

import netCDF4
import numpy as np

OUT = sys.argv[1] if len(sys.argv) > 1 else "testdata/netcdf3"
RNG = np.random.default_rng(20240601)


def values(dtype, shape):
    """Seeded values covering the type's extremes (and NaN/Inf/-0 for floats)."""
    dt = np.dtype(dtype)
    n = int(np.prod(shape))
    if dt.kind == "f":
        a = RNG.normal(0, 1000, n).astype(dt)
        specials = [np.nan, np.inf, -np.inf, -0.0, np.finfo(dt).max, np.finfo(dt).tiny, np.finfo(dt).min]
    else:
        info = np.iinfo(dt)
        a = RNG.integers(info.min, info.max, n, dtype=dt, endpoint=True)
        specials = [info.min, info.max, 0, 1]
    for i, s in enumerate(specials[: max(n - 1, 0)]):
        a[(i * 7 + 1) % n] = s
    return a.reshape(shape)


def jsonable(v):
    if isinstance(v, str):
        return v
    arr = np.atleast_1d(np.asarray(v))
    out = []
    for x in arr.tolist():
        if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
            out.append(repr(x))
        else:
            out.append(x)
    return out


def attrs_of(obj):
    return [{"name": k, "dtype": (np.asarray(obj.getncattr(k)).dtype.str if not isinstance(obj.getncattr(k), str) else "char"),
             "value": jsonable(obj.getncattr(k))} for k in obj.ncattrs()]


def describe(path, fmt, version):
    man = {"file": os.path.basename(path), "format": fmt, "version": version}
    with netCDF4.Dataset(path) as ds:
        man["dims"] = [{"name": d.name, "size": len(d), "unlimited": d.isunlimited()} for d in ds.dimensions.values()]
        man["global"] = attrs_of(ds)
        man["vars"] = []
        for v in ds.variables.values():
            man["vars"].append({"name": v.name, "dims": list(v.dimensions), "dtype": v.dtype.str if v.dtype != "S1" else "char",
                                "shape": list(v.shape), "attrs": attrs_of(v)})
    return man


def save(path, name, a):
    np.save(os.path.join(OUT, "%s.%s.npy" % (os.path.basename(path)[:-3], name)), np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")))


def common_attrs(obj, cdf5):
    obj.setncattr("att_byte", np.array([-128, 0, 127], dtype=np.int8))
    obj.setncattr("att_short", np.int16(-32768))
    obj.setncattr("att_int", np.array([-2147483648, 7, 2147483647], dtype=np.int32))
    obj.setncattr("att_float", np.array([1.5, np.nan, -np.inf], dtype=np.float32))
    obj.setncattr("att_double", np.float64(math.pi))
    obj.setncattr("att_text", "hello, world")
    obj.setncattr("att_text5", "five!")
    if cdf5:
        obj.setncattr("att_ubyte", np.array([0, 255], dtype=np.uint8))
        obj.setncattr("att_ushort", np.uint16(65535))
        obj.setncattr("att_uint", np.array([0, 4294967295], dtype=np.uint32))
        obj.setncattr("att_int64", np.array([-9223372036854775808, 9223372036854775807], dtype=np.int64))
        obj.setncattr("att_uint64", np.array([0, 9223372036854775807], dtype=np.uint64))


def make_fixed(name, fmt, version, cdf5):
    """Fixed-size variables of every type, coordinates and one record variable with one record."""
    path = os.path.join(OUT, name)
    if os.path.exists(path):
        os.remove(path)
    ny, nx = 7, 5
    with netCDF4.Dataset(path, "w", format=fmt) as ds:
        ds.set_auto_maskandscale(False)
        ds.createDimension("time", None)
        ds.createDimension("y", ny)
        ds.createDimension("x", nx)
        ds.createDimension("strlen", 6)
        common_attrs(ds, cdf5)
        ds.history = "made by tools/netcdf3/make_fixtures.py"
        y = ds.createVariable("y", "f8", ("y",))
        y.units = "rad"
        y.long_name = "GOES fixed grid projection y-coordinate"
        y[:] = np.linspace(0.1, -0.1, ny)
        save(path, "y", y[:])
        x = ds.createVariable("x", "f4", ("x",))
        x.units = "rad"
        x[:] = np.linspace(-0.1, 0.1, nx).astype("f4")
        save(path, "x", x[:])
        proj = ds.createVariable("goes_imager_projection", "i4")
        proj.grid_mapping_name = "geostationary"
        proj.perspective_point_height = 35786023.0
        proj.semi_major_axis = 6378137.0
        types = ["i1", "i2", "i4", "f4", "f8"]
        if cdf5:
            types += ["u1", "u2", "u4", "i8", "u8"]
        for t in types:
            v = ds.createVariable("v_" + np.dtype(t).name, t, ("y", "x"))
            v.units = "1"
            v.long_name = "test variable of type " + np.dtype(t).name
            v.grid_mapping = "goes_imager_projection"
            a = values(t, (ny, nx))
            v[:] = a
            save(path, v.name, a)
        big = ds.createVariable("data", "f4", ("y", "x"), fill_value=np.float32(np.nan))
        big.units = "K"
        big.long_name = "brightness temperature"
        common_attrs(big, cdf5)
        a = values("f4", (ny, nx))
        big[:] = a
        save(path, "data", a)
        # Extra fixed dims of size 1 in front: treated as 2-D.
        ds.createDimension("band", 1)
        b = ds.createVariable("banded", "i2", ("band", "y", "x"))
        a = values("i2", (1, ny, nx))
        b[:] = a
        save(path, "banded", a[0])
        s = ds.createVariable("label", "S1", ("y", "strlen"))
        s[:] = netCDF4.stringtochar(np.array(["row%03d" % i for i in range(ny)], dtype="S6"))
        r = ds.createVariable("rec", "f8", ("time", "y", "x"))
        a = values("f8", (1, ny, nx))
        r[:] = a
        save(path, "rec", a[0])
        rb = ds.createVariable("rec_byte", "i1", ("time", "x"))
        a = values("i1", (1, nx))
        rb[:] = a
        save(path, "rec_byte", a)
    return describe(path, fmt, version)


def make_records(name, fmt, version):
    """Several record variables interleaved over four records, with padding."""
    path = os.path.join(OUT, name)
    if os.path.exists(path):
        os.remove(path)
    nrec, ny, nx = 4, 3, 5
    with netCDF4.Dataset(path, "w", format=fmt) as ds:
        ds.set_auto_maskandscale(False)
        ds.createDimension("time", None)
        ds.createDimension("y", ny)
        ds.createDimension("x", nx)
        t = ds.createVariable("time", "f8", ("time",))
        t.units = "seconds since 2000-01-01 12:00:00"
        t[:] = np.arange(nrec, dtype="f8") * 600
        save(path, "time", t[:])
        for vn, tp in (("series_d", "f8"), ("series_s", "i2"), ("series_b", "i1")):
            v = ds.createVariable(vn, tp, ("time", "x"))
            a = values(tp, (nrec, nx))
            v[:] = a
            save(path, vn, a)
        v = ds.createVariable("cube", "f4", ("time", "y", "x"))
        v[:] = values("f4", (nrec, ny, nx))
        fixed = ds.createVariable("fixed", "i4", ("y", "x"))
        a = values("i4", (ny, nx))
        fixed[:] = a
        save(path, "fixed", a)
    return describe(path, fmt, version)


def make_single_record(name, fmt, version):
    """One record variable of an odd-sized short type: records are not padded."""
    path = os.path.join(OUT, name)
    if os.path.exists(path):
        os.remove(path)
    nrec, nx = 5, 3
    with netCDF4.Dataset(path, "w", format=fmt) as ds:
        ds.set_auto_maskandscale(False)
        ds.createDimension("time", None)
        ds.createDimension("x", nx)
        v = ds.createVariable("only", "i2", ("time", "x"))
        v.units = "counts"
        a = values("i2", (nrec, nx))
        v[:] = a
        save(path, "only", a)
    return describe(path, fmt, version)


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = [
        make_fixed("classic.nc", "NETCDF3_CLASSIC", 1, False),
        make_fixed("offset64.nc", "NETCDF3_64BIT_OFFSET", 2, False),
        make_fixed("data64.nc", "NETCDF3_64BIT_DATA", 5, True),
        make_records("records.nc", "NETCDF3_64BIT_OFFSET", 2),
        make_records("records5.nc", "NETCDF3_64BIT_DATA", 5),
        make_single_record("single_record.nc", "NETCDF3_CLASSIC", 1),
    ]
    for m in manifest:
        # ncdump -h output, the golden text for Reader.Describe.
        cdl = subprocess.run(["ncdump", "-h", os.path.join(OUT, m["file"])], check=True, capture_output=True, text=True).stdout
        with open(os.path.join(OUT, m["file"][:-3] + ".cdl"), "w") as f:
            f.write(cdl)
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
