#!/usr/bin/env bash
# Checks that the tools users already use open chunkpipe's outputs, and that
# chunkpipe reads what those tools write:
#   numpy loads .npy; xarray and netCDF4-python open .nc; zarr-python and
#   xarray open .zarr; gdalinfo -checksum and gdal_translate read .tif and
#   GDAL's COG validator passes; chunkpipe reads a zarr-python store and a
#   GDAL GeoTIFF; a real ABI band's .nc, .tif and .zarr open georeferenced
#   (geostationary CRS and geotransform) in GDAL and with x/y in xarray, and
#   so do its --resample outputs (EPSG code; lat/lon or y/x in xarray);
#   GDAL reads every band of multi-band GeoTIFFs (--stack) and COGs. Values must match within each codec's exactness.
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
run g.npy --preset anchors -k calibrate -o cal.npy
check "$py" "$here/foreign.py" calibrate g.npy cal.npy

run g.npy --preset anchors -k calibrate -o cal.nc
check "$py" "$here/netcdf_check.py" cal.nc cal.npy --var data

run g.npy --preset anchors -k calibrate -o cal.tif --chunks 256
check "$here/geotiff_check.sh" cal.tif cal.npy
run g.npy --preset anchors -k calibrate -o cal_cog.tif --opt cog=true
check "$here/geotiff_check.sh" cal_cog.tif cal.npy --cog

run g.npy --preset anchors -k calibrate -o cal.zarr --chunks 128
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
check "$py" "$here/netcdf_check.py" bt.nc bt.npy --var Rad --units K
run "$band7" -k calibrate,bt -o bt.tif
check "$here/geotiff_check.sh" bt.tif bt.npy
run "$band7" -k calibrate,bt -o bt.zarr
check "$py" "$here/zarr_check.py" bt.zarr bt.npy
run "$band7" -k calibrate,bt -o bt.png
check gdalinfo bt.png >/dev/null
# ... each georeferenced as GDAL georeferences the input: a +proj=geos CRS
# and the input's geotransform (times 2 after coarsen:2), x/y in xarray.
for ext in nc tif zarr; do run "$band7" -k calibrate,bt,coarsen:2 -o "bt_c2.$ext"; done

# Several bands into one GeoTIFF: three ABI bands, each calibrated with its
# own constants, as a COG; then that stack as a multi-band input, which
# keeps its bands.
band8=$(ls "$real"/abi/OR_ABI-L1b-RadM1-M6C08_G17_s2019300*.nc)
band14=$(ls "$real"/abi/OR_ABI-L1b-RadM1-M6C14_G17_s2019300*.nc)
run "$band8" -k calibrate,bt -o bt8.npy
run "$band14" -k calibrate,bt -o bt14.npy
run "$band7" "$band8" "$band14" --stack -k calibrate,bt -o stack.tif --opt cog=true
check "$py" "$here/bands_check.py" stack.tif bt.npy bt8.npy bt14.npy
run stack.tif -o stack2.tif --opt compress=zstd
check "$py" "$here/bands_check.py" stack2.tif bt.npy bt8.npy bt14.npy
check "$py" "$here/georef_check.py" "$band7" bt.nc:1 bt.tif:1 bt.zarr:1 bt_c2.nc:2 bt_c2.tif:2 bt_c2.zarr:2 stack.tif:1
# Resampled to a map grid: GDAL sees the target CRS, and the values match
# gdalwarp's on the same file (tools/resample/gdal_check.sh).
run "$band7" --resample utm:auto:2000 -k calibrate,bt -o bt_utm.tif
check grep -q 'ID\["EPSG",32610\]' <(gdalinfo bt_utm.tif)
run "$band7" --resample latlon:0.02 --resample-method bilinear -k calibrate,bt -o bt_latlon.tif
check grep -q 'ID\["EPSG",4326\]' <(gdalinfo bt_latlon.tif)
# ... in every output format, through a chain that rebuilds the attributes
# and coarsens: GDAL sees the EPSG code and the same geotransform in .tif,
# .nc and .zarr; xarray sees lat/lon or y/x at the pixel centres and crs.
for ext in nc zarr; do
	run "$band7" --resample latlon:0.02 --resample-method bilinear -k calibrate,bt -o "bt_latlon.$ext"
done
check "$py" "$here/resample_georef_check.py" 4326 0.02 1 bt_latlon.tif bt_latlon.nc bt_latlon.zarr
for ext in tif nc zarr; do
	run "$band7" --resample utm:auto:2000 -k calibrate,bt,coarsen:2 -o "bt_utm_c2.$ext"
done
check "$py" "$here/resample_georef_check.py" 32610 2000 2 bt_utm_c2.tif bt_utm_c2.nc bt_utm_c2.zarr
check "$here/../resample/gdal_check.sh" "$bin"
# Reference indexes (chunkpipe index): fsspec's ReferenceFileSystem with
# zarr-python reads every array and attribute as netCDF4-python reads the
# file, and chunkpipe runs through the index to the same output.
if "$py" -c 'import fsspec' 2>/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-fsspec >/dev/null; then
	"$bin" index "$band7" -o band7.json
	check "$py" "$here/kerchunk_check.py" band7.json "$band7"
	conus16=$(ls "$real"/abi/OR_ABI-L1b-RadC-M6C16_G16_*.nc)
	"$bin" index "$conus16" -o conus16.json
	check "$py" "$here/kerchunk_check.py" conus16.json "$conus16"
	run band7.json --var Rad -k calibrate,bt -o bt_index.npy
	check "$py" "$here/foreign.py" same bt.npy bt_index.npy
else
	echo "FAIL: python3-fsspec not installable"
	fail=1
fi
if [ "$fail" -ne 0 ]; then
	echo "interop: FAILED"
	exit 1
fi
echo "interop: all checks passed"
