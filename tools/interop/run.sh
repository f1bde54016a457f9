#!/usr/bin/env bash
# Checks that the tools users already use open chunkpipe's outputs, and that
# chunkpipe reads what those tools write:
#   numpy loads .npy; xarray and netCDF4-python open .nc; zarr-python and
#   xarray open .zarr; gdalinfo -checksum and gdal_translate read .tif and
#   GDAL's COG validator passes; chunkpipe reads a zarr-python store and a
#   GDAL GeoTIFF. Values must match within each codec's exactness.
# Usage: tools/interop/run.sh CHUNKPIPE_BINARY   (installs Debian packages if missing)
set -euo pipefail
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
if ! "$py" -c 'import numpy, xarray, netCDF4, zarr, numcodecs, scipy; from osgeo import gdal' 2>/dev/null || ! command -v gdalinfo >/dev/null; then
	echo "interop: installing Debian's python3-numpy python3-xarray python3-netcdf4 python3-zarr gdal-bin"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy python3-xarray python3-netcdf4 python3-zarr \
		python3-numcodecs python3-scipy python3-gdal gdal-bin >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
run() { "$bin" run "$@" --progress none --stats none; }
fail=0
check() { if "$@"; then :; else echo "FAIL: $*"; fail=1; fi; }

"$bin" synth -o g.npy --shape 600x700 --progress none
run g.npy -k calibrate -o cal.npy
check "$py" "$here/foreign.py" calibrate g.npy cal.npy

run g.npy -k calibrate -o cal.nc
check "$py" "$here/netcdf_check.py" cal.nc cal.npy --var calibrate

run g.npy -k calibrate -o cal.tif --chunks 256
check "$here/geotiff_check.sh" cal.tif cal.npy
run g.npy -k calibrate -o cal_cog.tif --opt cog=true
check "$here/geotiff_check.sh" cal_cog.tif cal.npy --cog

run g.npy -k calibrate -o cal.zarr --chunks 128
check "$py" "$here/zarr_check.py" cal.zarr cal.npy

# The other way round: stores and files written by zarr-python and GDAL.
"$py" "$here/foreign.py" write-zarr py.zarr py.npy
for v in zlib blosc zstd; do
	run py.zarr --var "$v" -o "back_$v.npy"
	check "$py" "$here/foreign.py" same py.npy "back_$v.npy"
done
"$py" "$here/foreign.py" write-tif gdal.tif gdal.npy
run gdal.tif -o back_tif.npy
check "$py" "$here/foreign.py" same gdal.npy back_tif.npy

# A real ABI band to brightness temperature in every output format.
real="${CHUNKPIPE_REAL_DATA:-$here/../../../shared/testdata/real}"
band7=$(ls "$real"/abi/OR_ABI-L1b-RadM1-M6C07_G17_s2019300*.nc)
run "$band7" -k calibrate,bt -o bt.npy
run "$band7" -k calibrate,bt -o bt.nc
check "$py" "$here/netcdf_check.py" bt.nc bt.npy --var bt --units K
run "$band7" -k calibrate,bt -o bt.tif
check "$here/geotiff_check.sh" bt.tif bt.npy
run "$band7" -k calibrate,bt -o bt.zarr
check "$py" "$here/zarr_check.py" bt.zarr bt.npy
run "$band7" -k calibrate,bt -o bt.png
check gdalinfo bt.png >/dev/null
# Resampled to a map grid: GDAL sees the target CRS, and the values match
# gdalwarp's on the same file (tools/resample/gdal_check.sh).
run "$band7" --resample utm:auto:2000 -k calibrate,bt -o bt_utm.tif
check grep -q 'ID\["EPSG",32610\]' <(gdalinfo bt_utm.tif)
run "$band7" --resample latlon:0.02 --resample-method bilinear -k calibrate,bt -o bt_latlon.tif
check grep -q 'ID\["EPSG",4326\]' <(gdalinfo bt_latlon.tif)
check "$here/../resample/gdal_check.sh" "$bin"
if [ "$fail" -ne 0 ]; then
	echo "interop: FAILED"
	exit 1
fi
echo "interop: all checks passed"
