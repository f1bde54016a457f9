#!/usr/bin/python3
"""Expected values of chunkpipe's ABI products, computed with netCDF4-python and numpy.

Usage: /usr/bin/python3 tools/oracle/abi_products.py [REAL_DATA_DIR] > testdata/abi/products.json

For every ABI L1b file in REAL_DATA_DIR/abi (default ../shared/testdata/real):
calibrate (netCDF4's CF decoding: _Unsigned, scale_factor, add_offset,
_FillValue and valid_range masking -> NaN) then reflectance (Rad * kappa0) for
bands 1-6 or brightness temperature ((fk2 / ln(fk1/Rad + 1) - bc1) / bc2, in
float32 as numpy computes it) for bands 7-16; records the NaN count, the
float64 nansum and values at 64 fixed pixels.

For the GOES-17 Mesoscale-1 scan of 2019-10-27 20:00 UTC it also records
bt(c07) - bt(c14) (sum, samples, the position of the largest difference) and
the Fire Temperature RGB at a few pixels, on the coarsest grid (band 5's 1 km
reflectance block-averaged 2x2 onto the 2 km grid): red bt(c07) 273.15..333.15 K
gamma 0.4, green reflectance(c06) 0..1, blue reflectance(c05) 0..0.75, each
level round(255 * clip((x-lo)/(hi-lo), 0, 1) ** (1/gamma)).
The Go tests compare against this file and need no Python.
"""
import glob
import json
import os
import sys

import netCDF4
import numpy as np

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "testdata", "real")
abi = os.path.join(root, "abi")


def product(path):
    ds = netCDF4.Dataset(path)
    v = ds["Rad"]
    v.set_auto_maskandscale(True)
    rad = np.ma.filled(v[:].astype(np.float32), np.nan)
    band = int(ds["band_id"][...].item())
    if band <= 6:
        out = rad * np.float32(ds["kappa0"][...])
        chain = "calibrate,reflectance"
    else:
        fk1, fk2, bc1, bc2 = [np.float32(ds[n][...]) for n in ("planck_fk1", "planck_fk2", "planck_bc1", "planck_bc2")]
        with np.errstate(all="ignore"):
            out = (fk2 / np.log(fk1 / rad + np.float32(1)) - bc1) / bc2
        chain = "calibrate,bt"
    ds.close()
    return band, chain, out.astype(np.float32)


def samples(a, n=64, seed=1):
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, a.shape[0], n)
    cols = rng.integers(0, a.shape[1], n)
    return [[int(r), int(c), None if np.isnan(a[r, c]) else float(a[r, c])] for r, c in zip(rows, cols)]


def level(x, lo, hi, gamma):
    t = np.clip((x - lo) / (hi - lo), 0, 1) ** (1.0 / gamma)
    return np.where(np.isnan(x), 0, np.floor(t * 255 + 0.5)).astype(int)


files = []
by_band = {}
for path in sorted(glob.glob(os.path.join(abi, "OR_ABI-L1b-*.nc"))):
    band, chain, out = product(path)
    name = os.path.basename(path)
    if "_s2019300" in name:
        by_band[band] = (name, out)
    files.append({"file": name, "band": band, "chain": chain, "shape": list(out.shape),
                  "nan": int(np.isnan(out).sum()), "nansum": float(np.nansum(out, dtype=np.float64)),
                  "samples": samples(out)})

n7, bt7 = by_band[7]
n14, bt14 = by_band[14]
diff = (bt7 - bt14).astype(np.float32)
am = np.unravel_index(np.nanargmax(diff), diff.shape)
btdiff = {"c07": n7, "c14": n14, "nansum": float(np.nansum(diff, dtype=np.float64)), "samples": samples(diff, seed=2),
          "argmax": [int(am[0]), int(am[1])], "max": float(diff[am]), "p99": float(np.nanpercentile(diff, 99))}

n6, r6 = by_band[6]
n5, r5 = by_band[5]
r5c = np.nanmean(r5.reshape(r5.shape[0] // 2, 2, r5.shape[1] // 2, 2), axis=(1, 3)).astype(np.float32)
R = level(bt7.astype(np.float64), 273.15, 333.15, 0.4)
G = level(r6.astype(np.float64), 0.0, 1.0, 1.0)
B = level(r5c.astype(np.float64), 0.0, 0.75, 1.0)
pix = [[int(am[0]), int(am[1])], [0, 0], [250, 250], [100, 400], [400, 100], [499, 499], [180, 150], [320, 260]]
fire = {"c07": n7, "c06": n6, "c05": n5, "shape": list(bt7.shape),
        "pixels": [[r, c, int(R[r, c]), int(G[r, c]), int(B[r, c])] for r, c in pix]}
json.dump({"files": files, "btdiff": btdiff, "fire": fire}, sys.stdout, indent=1)
print()
