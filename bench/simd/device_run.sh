#!/bin/bash
# Side-by-side float32 kernel timings on the lent device machine (2 threads
# pinned with taskset, as on the 2-core CI machine): STREAM, this tree's
# kernels test binary (k_new), another commit's (k_old), and the C
# reference, interleaved, 5 rounds. Nothing is built there: prepare .device/
# here (it is in .git/info/exclude and travels with `run`'s carry):
#
#   mkdir -p .device && cp bench/simd/device_run.sh .device/run.sh
#   GOEXPERIMENT=simd go test -c -o .device/k_new.test ./kernels/
#   (in a worktree of the old commit) GOEXPERIMENT=simd go test -c -o OLD/.device/k_old.test ./kernels/
#   gcc -static -O3 -fopenmp -o .device/stream ../shared/anchors/stream/stream_lite.c -lm
#   gcc -static -O3 -fopenmp -ffast-math -march=x86-64-v4 -o .device/cref bench/simd/cref_f32.c -lm
#
# then run `bash .device/run.sh` on the device with carry [".device"]; the
# log comes back as $OUT/device.txt. One core in cache instead:
# k_new.test -test.bench FloatPaths with GOMAXPROCS=1 taskset -c 2.
cd "$(dirname "$0")"
out=${OUT:-/tmp}/device.txt
exec > >(tee "$out") 2>&1
nproc; lscpu | grep -i 'model name\|^cpu(s)\|thread\|socket\|numa node' | cut -c1-200
CORES=${CORES:-0,1}
echo "cores $CORES"
export GOMAXPROCS=2 OMP_NUM_THREADS=2 OMP_PROC_BIND=spread
B='FloatGranule/^(copy|calibrate|bt|coarsen:2|coarsen:4|stats)$'
for rep in 1 2 3 4 5; do
  echo "== rep $rep"
  taskset -c $CORES ./stream 268435456 6 | grep -i '^copy\|^read'
  taskset -c $CORES ./k_new.test -test.run '^$' -test.bench "$B" -test.benchtime 5x -test.count 1 | grep Bench | sed 's/^/NEW /'
  taskset -c $CORES ./k_old.test -test.run '^$' -test.bench 'FloatGranule/^(calibrate|bt|coarsen:2|coarsen:4|stats)$/path=avx512' -test.benchtime 5x -test.count 1 | grep Bench | sed 's/^/OLD /'
  for k in calibrate bt; do echo "C $k"; taskset -c $CORES ./cref $k 7 | grep -i 'med'; done
done
