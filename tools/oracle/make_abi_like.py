#!/usr/bin/python3
"""Write a GOES ABI-like NetCDF-4 file for BenchmarkDecodeABI.

The variable Rad is int16 5424x5424 (full-disk 0.5 km band size) stored the
way the ABI ground system stores it: 250x250 chunks, deflate level 1, no
shuffle, _Unsigned="true", scale_factor/add_offset, _FillValue 1023. Pixels
outside the Earth disk hold the fill value, like a real full-disk image; the
disk holds a smooth field plus sensor noise so it compresses roughly like
real radiances.

Usage: /usr/bin/python3 tools/oracle/make_abi_like.py OUT.nc
then:  CHUNKPIPE_ABI_BENCH_FILE=OUT.nc go test -run XXX -bench DecodeABI ./formats/hdf5/
"""
import sys

import netCDF4
import numpy as np

N = 5424


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "abi_like.nc"
    rng = np.random.default_rng(42)
    with netCDF4.Dataset(out, "w", format="NETCDF4") as nc:
        nc.createDimension("y", N)
        nc.createDimension("x", N)
        v = nc.createVariable("Rad", "i2", ("y", "x"), zlib=True, complevel=1, shuffle=False,
                              chunksizes=(250, 250), fill_value=np.int16(1023))
        v.set_auto_maskandscale(False)
        v._Unsigned = "true"
        v.scale_factor = np.float32(0.1760585)
        v.add_offset = np.float32(-5.2392)
        x = np.arange(N, dtype=np.float32)
        for r0 in range(0, N, 250):
            r1 = min(N, r0 + 250)
            y = np.arange(r0, r1, dtype=np.float32)[:, None]
            field = 600 + 250 * np.sin(x / 310.0) * np.cos(y / 270.0) + 80 * np.sin((x + y) / 53.0)
            field = field + rng.normal(0, 6, size=field.shape)
            disk = (x - N / 2) ** 2 + (y - N / 2) ** 2 < (0.48 * N) ** 2
            block = np.where(disk, np.clip(field, 0, 1022), 1023).astype(np.int16)
            v[r0:r1, :] = block
    print("wrote", out)


if __name__ == "__main__":
    main()
