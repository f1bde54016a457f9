#!/usr/bin/env bash
# Checks chunkpipe's --resample against gdalwarp on real GOES ABI files, and
# optionally times both.
#
# Accuracy (always): the GOES-16 CONUS band 16 radiances (NETCDF:file:Rad,
# raw counts) to a lat/lon and a UTM grid finer than the input, nearest and
# bilinear, every pixel projected on both sides (chunkpipe
# --resample-tolerance=-1, gdalwarp -et 0): nearest identical on >= 99.9 %
# of pixels, bilinear within 1e-4 relative (tools/resample/compare.py).
# The default approximations (0.125 pixel on both sides) are compared too,
# for the record, without a threshold.
#
# Speed (--bench N): the 1 km CONUS band 1 (5000x3000) to its lat/lon
# footprint at 0.01 degrees (9791x4211), chunkpipe with 2 workers against
# gdalwarp -multi -wo NUM_THREADS=2, both writing an uncompressed GeoTIFF;
# the median wall and CPU times of N runs each.
#
# Usage: tools/resample/gdal_check.sh CHUNKPIPE_BINARY [--bench N]
set -euo pipefail
bin=$(realpath "$1")
bench=0
if [ "${2:-}" = "--bench" ]; then bench=${3:-5}; fi
here=$(cd "$(dirname "$0")" && pwd)
real=${CHUNKPIPE_REAL_DATA:-$here/../../../shared/testdata/real}
c16=$(ls "$real"/abi/OR_ABI-L1b-RadC-M6C16_G16_s20200040316182*.nc)
c01=$(ls "$real"/abi/OR_ABI-L1b-RadC-M6C01_G16_s20200040316182*.nc)
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
cp() { "$bin" run "$@" --progress none --stats none --overwrite; }

# name srs te(4) res chunkpipe-area
for spec in "latlon EPSG:4326 -100 30 -90 40 0.02 EPSG:4326:-100,30,-90,40:0.02" \
	"utm EPSG:32614 0 3300000 800000 4400000 1000 utm:14n:0,3300000,800000,4400000:1000"; do
	set -- $spec
	name=$1 srs=$2 te="$3 $4 $5 $6" res=$7 area=$8
	for m in near bilinear; do
		ot=UInt16 cm=nearest
		[ $m = bilinear ] && ot=Float32 cm=bilinear
		gdalwarp -q -overwrite -et 0 -t_srs $srs -te $te -tr $res $res -r $m -ot $ot NETCDF:"$c16":Rad g.tif
		cp "$c16" --resample "$area" --resample-method $cm --resample-tolerance=-1 -o c.tif
		echo -n "c16 $name $m exact: "
		"$py" "$here/compare.py" $m c.tif g.tif || fail=1
		gdalwarp -q -overwrite -t_srs $srs -te $te -tr $res $res -r $m -ot $ot NETCDF:"$c16":Rad g.tif
		cp "$c16" --resample "$area" --resample-method $cm -o c.tif
		echo -n "c16 $name $m default tolerances (for the record): "
		"$py" "$here/compare.py" $m c.tif g.tif --min-identical 0 || true
	done
done
gdalinfo c.tif | grep -q 'ID\["EPSG",32614\]' || { echo "FAIL: gdalinfo does not see EPSG:32614 in chunkpipe's output"; fail=1; }

if [ "$bench" -gt 0 ]; then
	median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
	timeit() { # runs "$@" $bench times; prints the median wall and the median CPU (user+sys) seconds
		for _ in $(seq "$bench"); do
			/usr/bin/time -f '%e %U %S' -o t.txt "$@" >/dev/null 2>&1
			cat t.txt
		done >times.txt
		echo "$(awk '{ print $1 }' times.txt | median) $(awk '{ print $2 + $3 }' times.txt | median)"
	}
	te="-150.82 14.56 -52.91 56.67"
	for m in near bilinear; do
		ot=UInt16 cm=nearest
		[ $m = bilinear ] && ot=Float32 cm=bilinear
		for et in default exact; do
			gopt="" copt=""
			if [ $et = exact ]; then gopt="-et 0" copt="--resample-tolerance=-1"; fi
			read -r gw gc <<<"$(timeit gdalwarp -q -overwrite -multi -wo NUM_THREADS=2 $gopt -t_srs EPSG:4326 -te $te -tr 0.01 0.01 -r $m -ot $ot NETCDF:"$c01":Rad g.tif)"
			read -r cw cc <<<"$(timeit "$bin" run "$c01" --resample latlon:0.01 --resample-method $cm $copt --workers 2 -o c.tif --progress none --stats none --overwrite)"
			printf 'bench c01 -> latlon:0.01 (9791x4211) %-8s %-7s gdalwarp %6.2f s wall %6.2f s CPU   chunkpipe %6.2f s wall %6.2f s CPU   (%.1fx wall)\n' \
				$m $et "$gw" "$gc" "$cw" "$cc" "$(echo "$gw / $cw" | bc -l)"
		done
	done
fi
if [ "$fail" -ne 0 ]; then
	echo "resample gdal_check: FAILED"
	exit 1
fi
echo "resample gdal_check: all checks passed"
