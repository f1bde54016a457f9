#!/bin/sh
# Interop check of a chunkpipe-written GeoTIFF against GDAL.
#
#   tools/interop/geotiff_check.sh FILE.tif EXPECTED.npy [--cog]
#
# EXPECTED.npy holds the band's values as a 2-D (rows, cols) array. The
# script (1) runs `gdalinfo -checksum` on FILE.tif and compares the checksum
# with GDAL's checksum of EXPECTED.npy, (2) converts FILE.tif with
# gdal_translate to a raw ENVI file and compares every value bit for bit
# (NaN equal to NaN), and (3) with --cog, or when GDAL reports LAYOUT=COG,
# runs GDAL's validate_cloud_optimized_geotiff with the full check of block
# leaders and trailers. Exits 0 when everything passes, 1 otherwise.
#
# Needs gdal-bin and python3-gdal with numpy (Debian: /usr/bin/python3).
# To make sample files: GEOTIFF_INTEROP_DIR=DIR go test -run TestInteropSamples ./formats/geotiff
set -u
if [ $# -lt 2 ]; then
	echo "usage: $0 FILE.tif EXPECTED.npy [--cog]" >&2
	exit 1
fi
tif=$1
npy=$2
cog=${3:-}
py=/usr/bin/python3
[ -x "$py" ] || py=python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

info=$(gdalinfo -checksum "$tif" 2>&1) || { echo "FAIL gdalinfo: $info"; exit 1; }
if echo "$info" | grep -q "ERROR"; then
	echo "FAIL gdalinfo reported errors:"
	echo "$info" | grep ERROR
	fail=1
fi
got=$(echo "$info" | sed -n 's/.*Checksum=\([0-9]*\).*/\1/p' | head -n 1)

if ! gdal_translate -q -b 1 -of ENVI "$tif" "$tmp/out.raw"; then
	echo "FAIL gdal_translate"
	exit 1
fi

"$py" - "$tmp/out.raw" "$npy" "$got" <<'PY' || fail=1
import sys
import numpy as np
from osgeo import gdal
gdal.UseExceptions()
raw, npy, got = sys.argv[1], sys.argv[2], sys.argv[3]
want = np.load(npy)
ds = gdal.Open(raw)
a = ds.GetRasterBand(1).ReadAsArray()
ok = True
if a.shape != want.shape or a.dtype != want.dtype:
    print("FAIL shape/dtype %s %s, want %s %s" % (a.shape, a.dtype, want.shape, want.dtype))
    sys.exit(1)
if a.tobytes() != want.astype(a.dtype).tobytes():
    bad = np.argwhere(a.view("u%d" % a.itemsize) != want.view("u%d" % a.itemsize))
    print("FAIL %d values differ, first at %s: %r != %r" % (len(bad), tuple(bad[0]), a[tuple(bad[0])], want[tuple(bad[0])]))
    ok = False
else:
    print("ok   values equal (%d x %d %s)" % (a.shape[0], a.shape[1], a.dtype))
mem = gdal.GetDriverByName("MEM").Create("", want.shape[1], want.shape[0], 1, ds.GetRasterBand(1).DataType)
mem.GetRasterBand(1).WriteArray(want)
wsum = mem.GetRasterBand(1).Checksum()
if str(wsum) != got:
    print("FAIL gdalinfo checksum %s, expected values give %d" % (got, wsum))
    ok = False
else:
    print("ok   checksum %s" % got)
sys.exit(0 if ok else 1)
PY

if [ "$cog" = "--cog" ] || echo "$info" | grep -q "LAYOUT=COG"; then
	validator=""
	for v in /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py \
		/usr/share/doc/python3-gdal/examples/validate_cloud_optimized_geotiff.py; do
		[ -f "$v" ] && validator=$v && break
	done
	if [ -z "$validator" ]; then
		echo "FAIL validate_cloud_optimized_geotiff.py not found (install python3-gdal)"
		fail=1
	elif out=$("$py" "$validator" --full-check=yes "$tif" 2>&1); then
		echo "ok   COG: $out"
	else
		echo "FAIL COG validation: $out"
		fail=1
	fi
fi
[ $fail -eq 0 ] && echo "PASS $tif" || echo "FAIL $tif"
exit $fail
