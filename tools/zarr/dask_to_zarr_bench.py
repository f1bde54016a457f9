#!/usr/bin/python3
"""Time dask.array.to_zarr on the array BenchmarkWrite writes, for comparison.

    /usr/bin/python3 tools/zarr/dask_to_zarr_bench.py [DIR] [WORKERS...]

Builds a 5424x5424 float32 full-disk-like image (smooth field plus noise,
NaN outside the disk), splits it into 1024x1024 dask chunks and writes it
with Zstd(level=1), the chunkpipe writer's default, using the threaded
scheduler with each worker count (default 1 and 2). Prints MB/s of float32
input, best of three runs.
"""

import os
import shutil
import sys
import tempfile
import time

import dask
import dask.array as da
import numcodecs
import numpy as np

N = 5424


def image():
    rng = np.random.default_rng(1)
    r, c = np.mgrid[0:N, 0:N].astype(np.float64)
    centre = N / 2
    f = 250 + 30 * np.sin(r / 300) * np.cos(c / 200) + rng.normal(size=(N, N))
    f[(r - centre) ** 2 + (c - centre) ** 2 > centre * centre * 0.95] = np.nan
    return f.astype(np.float32)


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else None
    workers = [int(w) for w in sys.argv[2:]] or [1, 2]
    a = da.from_array(image(), chunks=(1024, 1024))
    for w in workers:
        best = float("inf")
        for _ in range(3):
            d = tempfile.mkdtemp(dir=base)
            path = os.path.join(d, "out.zarr")
            t0 = time.perf_counter()
            with dask.config.set(scheduler="threads", num_workers=w):
                a.to_zarr(path, compressor=numcodecs.Zstd(level=1))
            best = min(best, time.perf_counter() - t0)
            shutil.rmtree(d)
        print(f"dask to_zarr zstd(level=1) workers={w}: {best:.3f} s, {N * N * 4 / best / 1e6:.1f} MB/s")


if __name__ == "__main__":
    main()
