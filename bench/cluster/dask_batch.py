"""The 64-granule batch of BENCHMARKS.md on dask.distributed: a LocalCluster of
N worker processes (one thread each), one task per file doing what
`chunkpipe run -k calibrate,abi -o out/{stem}.npy` does: CF-decode Rad, then
reflectance (bands 1-6) or brightness temperature (7-16), float32, np.save.

    /usr/bin/python3 dask_batch.py OUTDIR N FILE...

Prints the wall time of the batch (client.map to the last result), without
the cluster's start-up, and that start-up on a second line.
"""
import os
import sys
import time

import numpy as np


def process(path, outdir):
    import netCDF4

    with netCDF4.Dataset(path) as d:
        rad = d["Rad"][:].astype(np.float32).filled(np.nan)  # masked and scaled by netCDF4
        band = int(d["band_id"][:][0])
        if band <= 6:
            out = rad * np.float32(d["kappa0"][:])
        else:
            fk1, fk2 = np.float32(d["planck_fk1"][:]), np.float32(d["planck_fk2"][:])
            bc1, bc2 = np.float32(d["planck_bc1"][:]), np.float32(d["planck_bc2"][:])
            out = (fk2 / np.log(fk1 / rad + np.float32(1)) - bc1) / bc2
    stem = os.path.splitext(os.path.basename(path))[0]
    np.save(os.path.join(outdir, stem + ".npy"), out.astype(np.float32))
    return out.nbytes


def main():
    from dask.distributed import Client, LocalCluster

    outdir, n, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    t0 = time.perf_counter()
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        start = time.perf_counter() - t0
        t1 = time.perf_counter()
        futures = client.map(process, files, outdir=outdir, pure=False)
        client.gather(futures)
        wall = time.perf_counter() - t1
    print(f"{wall:.3f}")
    print(f"startup {start:.3f}")


if __name__ == "__main__":
    main()
