#!/usr/bin/env python3
"""Side-by-side timing of the float32 kernels: Go portable vs Go AVX-512
(BenchmarkFloatGranule, 2 workers, and a plain copy of the rows), the C reference on the same float32
input (cref_f32.c, gcc -O3 -ffast-math -march=native, 2 OpenMP threads)
and STREAM (the anchors' stream_lite.c, 2 threads), interleaved.

Usage: bench/simd/run.py [--reps N] [--out runs.jsonl] [--max-wait S] [--only REGEX] [--old KERNELS.TEST]
(from the repo root)

--old names a kernels test binary built from another commit
(GOEXPERIMENT=simd go test -c -o old.test ./kernels/ in a copy of that
commit): its AVX-512 cases run too, as "Go K avx512 old", in the same
rounds, so a change is timed before and after side by side.

Every measurement is one short process. Before each, the script waits (up
to 20 s) for the machine to be quiet (other processes using < 0.5 core
over 0.5 s) and records the CPU-seconds other processes used during the
run ("others"). It prints per case the median over all runs (wall per pass, and the
process CPU-seconds per pass, both threads: other load inflates it much
less than wall time) and over quiet runs (others < 5 % of the run's wall + 0.05 s), and writes every run as a
JSON line.
"""
import argparse, json, os, re, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ANCHORS = os.path.join(os.path.dirname(ROOT), "shared", "anchors")
PX = 8192 * 8192


def busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / os.sysconf("SC_CLK_TCK")


def wait_quiet(limit=20.0):
    t0 = time.time()
    while time.time() - t0 < limit:
        b0 = busy(); time.sleep(0.5); b1 = busy()
        if (b1 - b0) / 0.5 < 0.5:
            break
    return time.time() - t0


def run(cmd, env=None, max_wait=20.0):
    waited = wait_quiet(max_wait)
    e = dict(os.environ, **(env or {}))
    b0 = busy(); r0 = os.times(); t0 = time.perf_counter()
    p = subprocess.run(cmd, env=e, capture_output=True, text=True)
    wall = time.perf_counter() - t0; r1 = os.times(); b1 = busy()
    own = (r1.children_user - r0.children_user) + (r1.children_system - r0.children_system)
    if p.returncode != 0:
        sys.exit(f"{cmd}: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p.stdout, wall, max(0.0, b1 - b0 - own), waited


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--out", default=None)
    ap.add_argument("--max-wait", type=float, default=20.0, help="seconds to wait for a quiet machine")
    ap.add_argument("--only", default=None, help="run only the cases whose name matches this regular expression")
    ap.add_argument("--old", default=None, help="a kernels test binary of another commit: time its avx512 cases too")
    a = ap.parse_args()
    build = tempfile.mkdtemp(prefix="simdbench")
    gotest = os.path.join(build, "kernels.test")
    subprocess.run(["go", "test", "-c", "-o", gotest, "./kernels/"], cwd=ROOT, check=True,
                   env=dict(os.environ, GOEXPERIMENT="simd"))
    cref = os.path.join(build, "cref_f32_fast")
    subprocess.run(["gcc", "-O3", "-fopenmp", "-ffast-math", "-march=native", "-o", cref,
                    os.path.join(ROOT, "bench/simd/cref_f32.c"), "-lm"], check=True)
    stream = os.path.join(build, "stream_lite")
    subprocess.run(["gcc", "-O3", "-fopenmp", "-o", stream,
                    os.path.join(ANCHORS, "stream/stream_lite.c"), "-lm"], check=True)
    omp = {"OMP_NUM_THREADS": "2", "OMP_PROC_BIND": "spread"}
    cases = [("STREAM", "stream", [stream, str(256 << 20), "6"], omp)]
    for k in ["calibrate", "bt"]:
        cases.append((f"C {k}", "cref", [cref, k, "7"], omp))
    for k in ["copy", "calibrate", "bt", "coarsen:2", "coarsen:4", "stats"]:
        paths = ["-"] if k == "copy" else ["portable", "avx512"]
        for p in paths:
            pat = f"^BenchmarkFloatGranule$/^{k}$" + ("" if p == "-" else f"/^path={p}$")
            name = f"Go {k}" + ("" if p == "-" else f" {p}")
            cases.append((name, "go", [gotest, "-test.run", "^$", "-test.bench", pat,
                                       "-test.benchtime", "5x", "-test.count", "1"], None))
    if a.old:
        for k in ["calibrate", "bt", "coarsen:2", "coarsen:4", "stats"]:
            pat = f"^BenchmarkFloatGranule$/^{k}$/^path=avx512$"
            cases.append((f"Go {k} avx512 old", "go", [os.path.abspath(a.old), "-test.run", "^$", "-test.bench", pat,
                                                      "-test.benchtime", "5x", "-test.count", "1"], None))
    if a.only:
        cases = [c for c in cases if re.search(a.only, c[0])]
    recs = []
    out = open(a.out, "a") if a.out else None
    for rep in range(a.reps):
        for name, kind, cmd, env in cases:
            text, wall, others, waited = run(cmd, env, a.max_wait)
            m = {}
            if kind == "stream":
                for line in text.splitlines():
                    g = re.match(r"\s*(Copy|Read|Triad)\S*\s+([\d.]+)\s+([\d.]+)", line)
                    if g:
                        m[g.group(1).lower() + "_gbs"] = float(g.group(3))  # median
            elif kind == "cref":
                g = re.search(r"med_s=([\d.]+) med_cpu_s=([\d.]+)", text)
                m["s"], m["cpu_s"] = float(g.group(1)), float(g.group(2))
            else:
                g = re.search(r"\s([\d.]+) ns/op\s+([\d.]+) MB/s\s+([\d.]+) cpu-s/op", text)
                m["s"], m["gbs"], m["cpu_s"] = float(g.group(1)) / 1e9, float(g.group(2)) / 1e3, float(g.group(3))
            r = {"rep": rep, "case": name, "wall_s": round(wall, 3), "others_cpu_s": round(others, 3),
                 "quiet": others < 0.05 * wall + 0.05, "waited_s": round(waited, 1), **m}
            recs.append(r)
            print(json.dumps(r), flush=True)
            if out:
                out.write(json.dumps(r) + "\n"); out.flush()
    print()
    print("| case | runs (quiet) | median s/pass (min-max) | ns/px | GB/s traffic | median CPU-s/pass (min) | quiet median s/pass |")
    print("|---|---|---|---|---|---|---|")
    for name, kind, _, _ in cases:
        rs = [r for r in recs if r["case"] == name]
        q = [r for r in rs if r["quiet"]]
        if kind == "stream":
            for key in ("copy_gbs", "read_gbs", "triad_gbs"):
                v = [r[key] for r in rs if key in r]
                qv = [r[key] for r in q if key in r]
                print(f"| STREAM {key[:-4]} 2 threads | {len(v)} ({len(qv)}) | | | {statistics.median(v):.1f} "
                      f"({min(v):.1f}-{max(v):.1f}) | | " + (f"{statistics.median(qv):.1f} GB/s |" if qv else "- |"))
            continue
        s = statistics.median(r["s"] for r in rs)
        qs = f"{statistics.median(r['s'] for r in q):.4f}" if q else "-"
        gbs = statistics.median(r["gbs"] for r in rs) if kind == "go" else PX * 8 / s / 1e9
        ss = [r["s"] for r in rs]
        cpu = [r["cpu_s"] for r in rs]
        print(f"| {name} | {len(rs)} ({len(q)}) | {s:.4f} ({min(ss):.4f}-{max(ss):.4f}) | {s / PX * 1e9:.2f} | "
              f"{gbs:.1f} | {statistics.median(cpu):.4f} ({min(cpu):.4f}) | {qs} |")


if __name__ == "__main__":
    main()
