#!/usr/bin/python3
"""Side-by-side benchmark: chunkpipe vs dask on the anchors' reference workloads.

Run it through compare.sh (which builds chunkpipe first), or directly::

    /usr/bin/python3 bench/compare/compare.py --bin /tmp/chunkpipe [--dir /dev/shm/chunkpipe_compare]
        [--reps 5] [--workers 2] [--dask-chunk 2048] [--nc-dask-chunk 2000]
        [--also-dask-chunk] [--only calibrate,stats] [--quick] [--json results.jsonl]

What it does:

* generates the reference granule ONCE with ../shared/anchors/gen_granule.py
  (10848x10848 int16 .npy, seed 20250101) and the NetCDF4 granule stored the ABI
  way (HDF5 chunks 250x250, deflate level 1: ``--zlib --nc-chunk 250``) into --dir
  (a tmpfs by default); existing files of the right name are reused;
* for each repetition (outermost loop, so slow phases of a shared machine spread over
  every cell) and each workload, runs chunkpipe and then dask_pipeline.py on the same
  input with the same worker count, each under ``/usr/bin/time -v`` (peak RSS), the
  output deleted before each run so that both create a fresh file on the same tmpfs;
* records chunkpipe's process wall and its own ``--stats json`` wall/compute figures,
  dask's process wall and its ``ANCHOR pipeline_s``, and the CPU-seconds other
  processes used during each run (from /proc/stat: the machine's busy time minus the
  child's user+sys);
* after the last repetition compares the two outputs of every workload (rtol 1e-5,
  equal NaN positions; stats within rtol 1e-5) and prints a markdown table.

The workloads (chunkpipe chain / dask_pipeline.py --chain):
calibrate, calibrate+bt, blur (calibrate,blur:5), coarsen4 (calibrate,coarsen:4),
stats (calibrate,stats), nc-calibrate+bt (the NetCDF4 deflate granule, calibrate,bt,
written as .npy).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ANCHORS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "anchors"))

# name, input kind, chunkpipe kernels, dask chain
WORKLOADS = [
    ("calibrate", "npy", "calibrate", "calibrate"),
    ("calibrate+bt", "npy", "calibrate,bt", "calibrate+bt"),
    ("blur", "npy", "calibrate,blur:5", "blur"),
    ("coarsen4", "npy", "calibrate,coarsen:4", "coarsen4"),
    ("stats", "npy", "calibrate,stats", "stats"),
    ("nc-calibrate+bt", "nc", "calibrate,bt", "calibrate+bt"),
]


def cpu_busy_s() -> float:
    """Busy CPU-seconds of the whole machine so far (steal included)."""
    with open("/proc/stat") as f:
        parts = f.readline().split()[1:]
    v = [int(x) for x in parts]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(v[:8]) - idle) / hz


def timed(cmd: list[str], env=None) -> dict:
    """Run cmd under /usr/bin/time -v; return wall, rss, user+sys, stdout, others' CPU."""
    b0 = cpu_busy_s()
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    b1 = cpu_busy_s()
    rss_kb = user = sys_ = 0.0
    for line in p.stderr.splitlines():
        line = line.strip()
        if line.startswith("Maximum resident set size (kbytes):"):
            rss_kb = float(line.split(":")[1])
        elif line.startswith("User time (seconds):"):
            user = float(line.split(":")[1])
        elif line.startswith("System time (seconds):"):
            sys_ = float(line.split(":")[1])
    if p.returncode != 0:
        sys.stderr.write(f"FAILED ({p.returncode}): {' '.join(cmd)}\n{p.stdout[-2000:]}\n{p.stderr[-3000:]}\n")
    return {
        "cmd": " ".join(cmd),
        "rc": p.returncode,
        "wall_s": wall,
        "rss_mb": rss_kb / 1024.0,
        "cpu_s": user + sys_,
        "others_cpu_s": max(0.0, (b1 - b0) - (user + sys_)),
        "stdout": p.stdout,
        "stderr": p.stderr,
    }


def parse_anchor(out: str) -> dict:
    for line in out.splitlines():
        if line.startswith("ANCHOR "):
            return {k: v for k, v in (kv.split("=", 1) for kv in line.split()[1:])}
    return {}


def parse_cp_json(out: str) -> dict:
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line == "{":
            try:
                return json.loads("\n".join(lines[i:]))
            except ValueError:
                return {}
    return {}


def ensure_inputs(args) -> dict:
    os.makedirs(args.dir, exist_ok=True)
    shape = args.shape
    tag = f"{shape[0]}x{shape[1]}"
    npy = os.path.join(args.dir, f"granule_{tag}.npy")
    nc = os.path.join(args.dir, f"granule_{tag}_zlib250.nc")
    gen = os.path.join(ANCHORS, "gen_granule.py")
    if not os.path.exists(npy):
        subprocess.run([sys.executable, gen, npy, "--shape", str(shape[0]), str(shape[1])], check=True)
    if not os.path.exists(nc):
        subprocess.run([sys.executable, gen, nc, "--shape", str(shape[0]), str(shape[1]), "--zlib", "--nc-chunk", "250"], check=True)
    # Warm the page cache for both inputs (as the anchors did).
    for p in (npy, nc):
        with open(p, "rb") as f:
            while f.read(1 << 24):
                pass
    return {"npy": npy, "nc": nc}


def run_chunkpipe(args, wl, inp, out, chunks) -> dict:
    name, kind, kernels, _ = wl
    cmd = [args.bin, "run", inp, "-k", kernels, "--workers", str(args.workers), "--chunks", chunks,
           "--progress", "none", "--stats", "json", "--overwrite",
           # gen_granule.py's files carry no scale_factor/add_offset (the .npy
           # no attributes at all): the preset gives the constants dask uses.
           "--preset", "anchors"]
    if kind == "nc":
        cmd += ["--var", "Rad"]
    cmd += ["-o", out]
    r = timed(cmd)
    rep = parse_cp_json(r["stdout"])
    wall_ns = rep.get("wall_ns")
    r["pipeline_s"] = float(wall_ns) / 1e9 if isinstance(wall_ns, (int, float)) else float("nan")
    r["compute_busy_s"] = float(rep.get("compute_busy_ns", float("nan"))) / 1e9
    r["grid"] = rep.get("grid", "")
    return r


def run_dask(args, wl, inp, out, chunk) -> dict:
    name, kind, _, chain = wl
    cmd = [sys.executable, os.path.join(ANCHORS, "dask_pipeline.py"), inp, out, "--chain", chain,
           "--chunk", str(chunk), "--workers", str(args.workers)]
    if kind == "nc":
        cmd += ["--var", "Rad"]
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    r = timed(cmd, env=env)
    a = parse_anchor(r["stdout"])
    r["pipeline_s"] = float(a.get("pipeline_s", "nan"))
    return r


def check(wl, cp_out, dk_out) -> tuple[bool, str]:
    import numpy as np

    name = wl[0]
    if name == "stats":
        with open(cp_out) as f:
            v = json.load(f)["values"]
        got = np.array([v["min"], v["max"], v["mean"], v["std"], v["count"]], dtype=np.float64)
        want = np.load(dk_out)
        ok = bool(np.allclose(got, want, rtol=1e-5, atol=0))
        return ok, f"max rel diff {float(np.max(np.abs(got - want) / np.abs(want))):.2e}"
    a = np.load(cp_out, mmap_mode="r")
    b = np.load(dk_out, mmap_mode="r")
    if a.shape != b.shape or a.dtype != b.dtype:
        return False, f"shape/dtype {a.shape} {a.dtype} vs {b.shape} {b.dtype}"
    worst = 0.0
    nan_ok = True
    ok = True
    step = 512
    for r0 in range(0, a.shape[0], step):
        x = np.asarray(a[r0:r0 + step], dtype=np.float64)
        y = np.asarray(b[r0:r0 + step], dtype=np.float64)
        nx, ny = np.isnan(x), np.isnan(y)
        if not np.array_equal(nx, ny):
            nan_ok = False
        m = ~(nx | ny)
        if m.any():
            d = np.abs(x[m] - y[m]) / np.maximum(np.abs(y[m]), 1e-30)
            worst = max(worst, float(d.max()))
            if not np.allclose(x[m], y[m], rtol=1e-5, atol=0):
                ok = False
    ok = ok and nan_ok
    return ok, f"max rel diff {worst:.2e}, NaN positions {'equal' if nan_ok else 'DIFFER'}"


def med(xs):
    xs = [x for x in xs if x == x]
    return statistics.median(xs) if xs else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="chunkpipe binary")
    ap.add_argument("--dir", default="/dev/shm/chunkpipe_compare", help="inputs and outputs (use a tmpfs)")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dask-chunk", type=int, default=2048, help="dask chunk for the .npy workloads (RESULTS.md: best 2048)")
    ap.add_argument("--nc-dask-chunk", type=int, default=2000,
                    help="dask chunk for the NetCDF workload (a multiple of the 250 storage chunks)")
    ap.add_argument("--cp-chunks", default="auto", help="chunkpipe --chunks")
    ap.add_argument("--also-dask-chunk", action="store_true", help="also run chunkpipe at dask's chunk size")
    ap.add_argument("--only", default="", help="comma-separated workload names")
    ap.add_argument("--quick", action="store_true", help="smoke test: 2048x2304 granule, 2 repetitions")
    ap.add_argument("--shape", type=int, nargs=2, default=None, metavar=("H", "W"))
    ap.add_argument("--json", default="", help="append one JSON line per run here")
    args = ap.parse_args()
    if args.shape is None:
        args.shape = [2048, 2304] if args.quick else [10848, 10848]
    if args.quick and args.reps == 5:
        args.reps = 2
    if args.quick:
        args.dask_chunk = min(args.dask_chunk, 1024)
        args.nc_dask_chunk = min(args.nc_dask_chunk, 1000)

    wls = [w for w in WORKLOADS if not args.only or w[0] in args.only.split(",")]
    inputs = ensure_inputs(args)
    variants = [("auto", args.cp_chunks)]
    if args.also_dask_chunk:
        variants.append(("dask-chunk", None))

    def load():
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])

    print(f"# chunkpipe vs dask, {args.reps} interleaved repetitions, workers={args.workers}, shape {args.shape[0]}x{args.shape[1]}")
    print(f"# start: load average {load()}, {time.strftime('%Y-%m-%d %H:%M:%S')}")
    sys.stdout.flush()
    rec: dict = {}
    jf = open(args.json, "a") if args.json else None
    for rep in range(args.reps):
        for wl in wls:
            name, kind = wl[0], wl[1]
            inp = inputs[kind]
            dchunk = args.nc_dask_chunk if kind == "nc" else args.dask_chunk
            ext = ".json" if name == "stats" else ".npy"
            for vname, spec in variants:
                spec = spec or str(dchunk)
                cp_out = os.path.join(args.dir, f"out_cp_{name}_{vname}{ext}")
                if os.path.exists(cp_out):
                    os.remove(cp_out)
                r = run_chunkpipe(args, wl, inp, cp_out, spec)
                rec.setdefault((name, "cp", vname), []).append(r)
                if jf:
                    jf.write(json.dumps({"engine": "chunkpipe", "workload": name, "variant": vname, "rep": rep,
                                         **{k: v for k, v in r.items() if k not in ("stdout", "stderr")}}) + "\n")
            dk_out = os.path.join(args.dir, f"out_dask_{name}.npy")
            if os.path.exists(dk_out):
                os.remove(dk_out)
            r = run_dask(args, wl, inp, dk_out, dchunk)
            rec.setdefault((name, "dask", ""), []).append(r)
            if jf:
                jf.write(json.dumps({"engine": "dask", "workload": name, "chunk": dchunk, "rep": rep,
                                     **{k: v for k, v in r.items() if k not in ("stdout", "stderr")}}) + "\n")
            cp = rec[(name, "cp", "auto")][-1]
            print(f"rep {rep + 1}/{args.reps} {name:16s} chunkpipe {cp['wall_s']:.3f}s (own {cp['pipeline_s']:.3f}s)  "
                  f"dask {r['wall_s']:.3f}s (pipeline_s {r['pipeline_s']:.3f}s)  others' CPU {cp['others_cpu_s']:.2f}/{r['others_cpu_s']:.2f}s",
                  flush=True)
    end_load = load()

    checks = {}
    for wl in wls:
        name = wl[0]
        ext = ".json" if name == "stats" else ".npy"
        for vname, _ in variants:
            try:
                checks[(name, vname)] = check(wl, os.path.join(args.dir, f"out_cp_{name}_{vname}{ext}"),
                                              os.path.join(args.dir, f"out_dask_{name}.npy"))
            except Exception as e:  # noqa: BLE001
                checks[(name, vname)] = (False, f"check failed: {e}")

    print()
    print(f"# end: load average {end_load}, {time.strftime('%Y-%m-%d %H:%M:%S')}")
    print()
    print("| workload | chunkpipe chunks | chunkpipe wall s median (min-max) | chunkpipe own wall s | dask chunk | dask process wall s median (min-max) | dask pipeline_s median | ratio dask/chunkpipe (process wall) | ratio dask pipeline_s / chunkpipe wall | peak RSS MiB chunkpipe / dask | others' CPU s median cp / dask | check |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for wl in wls:
        name, kind = wl[0], wl[1]
        dchunk = args.nc_dask_chunk if kind == "nc" else args.dask_chunk
        dk = rec[(name, "dask", "")]
        dw = [r["wall_s"] for r in dk]
        dp = [r["pipeline_s"] for r in dk]
        for vname, spec in variants:
            cp = rec[(name, "cp", vname)]
            cw = [r["wall_s"] for r in cp]
            co = [r["pipeline_s"] for r in cp]
            ok, why = checks[(name, vname)]
            bad = sum(1 for r in cp + dk if r["rc"] != 0)
            print(f"| {name} | {spec or dchunk} | {med(cw):.3f} ({min(cw):.3f}-{max(cw):.3f}) | {med(co):.3f} | {dchunk} | "
                  f"{med(dw):.3f} ({min(dw):.3f}-{max(dw):.3f}) | {med(dp):.3f} | {med(dw) / med(cw):.2f}x | "
                  f"{med(dp) / med(cw):.2f}x | {max(r['rss_mb'] for r in cp):.0f} / {max(r['rss_mb'] for r in dk):.0f} | "
                  f"{med([r['others_cpu_s'] for r in cp]):.2f} / {med([r['others_cpu_s'] for r in dk]):.2f} | "
                  f"{'PASS' if ok and not bad else 'FAIL'} ({why}{', %d failed runs' % bad if bad else ''}) |")
    return 0 if all(c[0] for c in checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
