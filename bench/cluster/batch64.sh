#!/usr/bin/env bash
# The 64-granule batch of BENCHMARKS.md: `calibrate,abi` to .npy over 64 ABI
# granules (the 16 bands of one G17 mesoscale scan, 4 times each, as links),
# run locally, with --cluster embedded:2, and on a dask.distributed
# LocalCluster of 2 processes. Prints one line per run: mode, seconds.
#
#   bench/cluster/batch64.sh [REPS]     (default 3; needs Debian's python3-distributed)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
reps=${1:-3}
real=${CHUNKPIPE_REAL_DATA:-$root/../shared/testdata/real}
work=$(mktemp -d /tmp/chunkpipe-batch64-XXXX)
trap 'rm -rf "$work"' EXIT
bin=$work/chunkpipe
(cd "$root" && go build -o "$bin" ./cmd/chunkpipe)
mkdir "$work/in"
for k in 1 2 3 4; do
	for f in "$real"/abi/OR_ABI-L1b-RadM1-M6C??_G17_*.nc; do
		ln -s "$f" "$work/in/k${k}_$(basename "$f")"
	done
done
n=$(ls "$work/in" | wc -l)
echo "# $n granules, $(du -shL "$work/in" | cut -f1); $(nproc) CPUs; uptime:$(uptime)"
for r in $(seq "$reps"); do
	for mode in local embedded:2 dask; do
		rm -rf "$work/out" && mkdir "$work/out"
		t0=$(date +%s.%N)
		case $mode in
		local) "$bin" run "$work"/in/*.nc -k calibrate,abi -o "$work/out/{stem}.npy" -w 2 --progress none --stats none 2>/dev/null ;;
		embedded:2) "$bin" run "$work"/in/*.nc -k calibrate,abi -o "$work/out/{stem}.npy" -w 2 --cluster embedded:2 --progress none --stats none 2>/dev/null ;;
		dask) /usr/bin/python3 "$here/dask_batch.py" "$work/out" 2 "$work"/in/*.nc >"$work/dask.txt" 2>/dev/null ;;
		esac
		t1=$(date +%s.%N)
		extra=""
		[ "$mode" = dask ] && extra=" (batch only, without LocalCluster start-up: $(head -1 "$work/dask.txt") s)"
		echo "$mode $(echo "$t1 - $t0" | bc) s$extra, $(ls "$work/out" | wc -l) outputs"
	done
done
