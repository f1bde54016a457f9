#!/usr/bin/python3
"""Time whole-variable decoding with netCDF4-python and h5py, for comparison
with BenchmarkDecodeABI (formats/hdf5). Prints decoded MB/s (raw values, no
masking or scaling), best of REPEAT runs.

Usage: /usr/bin/python3 tools/oracle/bench_netcdf4.py FILE [VAR] [REPEAT]
"""
import sys
import time

import h5py
import netCDF4


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        arr = fn()
        times.append(time.perf_counter() - t0)
    return min(times), arr.nbytes


def main():
    path = sys.argv[1]
    var = sys.argv[2] if len(sys.argv) > 2 else "Rad"
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 3

    def nc_read():
        with netCDF4.Dataset(path) as nc:
            v = nc[var]
            v.set_auto_maskandscale(False)
            return v[:]

    def h5_read():
        with h5py.File(path, "r") as f:
            return f[var][()]

    for name, fn in (("netCDF4-python", nc_read), ("h5py", h5_read)):
        t, nbytes = best(fn, repeat)
        print("%-15s %8.1f MB/s  (%d bytes in %.3f s)" % (name, nbytes / t / 1e6, nbytes, t))


if __name__ == "__main__":
    main()
