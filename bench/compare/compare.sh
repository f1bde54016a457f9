#!/usr/bin/env bash
# Side-by-side benchmark of chunkpipe and dask on the anchors' workloads.
#
#   bench/compare/compare.sh [compare.py options]     e.g. --reps 5 | --quick | --only calibrate,stats
#
# Needs Debian's /usr/bin/python3 with numpy, dask, scipy and netCDF4, and GNU time:
#   apt-get install -y python3-dask python3-numpy python3-netcdf4 python3-scipy time
# Builds chunkpipe into $CHUNKPIPE_BIN (default /tmp/chunkpipe_compare_bin), then runs
# compare.py, which generates the granules once into --dir (default /dev/shm/chunkpipe_compare).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
py=${PYTHON:-/usr/bin/python3}
bin=${CHUNKPIPE_BIN:-/tmp/chunkpipe_compare_bin}
"$py" -c 'import numpy, dask, scipy, netCDF4' 2>/dev/null || {
	echo "compare.sh: $py lacks numpy/dask/scipy/netCDF4: apt-get install -y python3-dask python3-numpy python3-netcdf4 python3-scipy time" >&2
	exit 2
}
[ -x /usr/bin/time ] || { echo "compare.sh: GNU time missing: apt-get install -y time" >&2; exit 2; }
(cd "$root" && go build -o "$bin" ./cmd/chunkpipe)
echo "# chunkpipe $(cd "$root" && go version) built from $root; $(nproc) CPUs; uptime:$(uptime)"
exec "$py" "$here/compare.py" --bin "$bin" "$@"
