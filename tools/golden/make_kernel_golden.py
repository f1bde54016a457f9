#!/usr/bin/env python3
"""Make the numpy golden files for chunkpipe's kernels package.

Usage (Debian's python3 with numpy and scipy)::

    /usr/bin/python3 tools/golden/make_kernel_golden.py [ANCHORS_DIR] [OUT_DIR]

ANCHORS_DIR defaults to /work/shared/anchors (gen_granule.py and
dask_pipeline.py); OUT_DIR to testdata/golden next to this repository's
tools/. It makes a 300x400 int16 granule with gen_granule.py's recipe (seed
7, 2 % fill), saves it as input.npy, and runs dask_pipeline.py's numpy
kernels on it:

    calibrate.npy      calibrate_np(counts)                    float32 300x400
    calibrate_bt.npy   bt_np(calibrate_np(counts))             float32 300x400
    blur.npy           nan_box5_np(calibrate_np(counts))       float32 300x400
    coarsen4.npy       coarsen4_np(calibrate_np(counts))       float32 75x100
    stats.npy          stats_np(calibrate_np(counts))          float64 [min, max, mean, std, count]

kernels/golden_test.go compares the Go chains "calibrate", "calibrate,bt",
"calibrate,blur:5", "calibrate,coarsen:4" and "calibrate,stats" with them.
"""

import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
anchors = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/anchors"
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "..", "testdata", "golden")
sys.path.insert(0, anchors)

import dask_pipeline as dp  # noqa: E402
import gen_granule as gg  # noqa: E402

H, W, SEED = 300, 400, 7
rng = np.random.default_rng(SEED)
counts = gg.make_block(rng, 0, H, H, W, 0.02)  # one row block: H < BLOCK_ROWS
assert counts.dtype == np.int16 and counts.shape == (H, W)

os.makedirs(out, exist_ok=True)
rad = dp.calibrate_np(counts)
files = {
    "input.npy": counts.astype("<i2"),
    "calibrate.npy": rad,
    "calibrate_bt.npy": dp.bt_np(rad),
    "blur.npy": dp.nan_box5_np(rad),
    "coarsen4.npy": dp.coarsen4_np(rad),
    "stats.npy": dp.stats_np(rad),
}
total = 0
for name, arr in files.items():
    path = os.path.join(out, name)
    np.save(path, np.ascontiguousarray(arr))
    total += os.path.getsize(path)
    print(f"{name}: {arr.dtype} {arr.shape}")
print(f"total {total} bytes; fill {int((counts == -1).sum())}; stats {files['stats.npy'].tolist()}")
