#!/usr/bin/env bash
# Regenerates resample/testdata: gdalwarp's nearest and bilinear resampling
# (exact transforms, -et 0) of the real GOES-16 CONUS band 16 file to two
# small target grids, 100x100 each, which resample's tests reproduce:
#   latlon: EPSG:4326, -100,30 to -99,31, 0.01 degrees
#   utm:    EPSG:32614, 300000,3400000 to 400000,3500000, 1000 m
# Both are finer than the input (about 2.3 km there): when its output pixels
# are larger than the input's, gdalwarp -r bilinear widens its kernel (an
# area-weighted mean), which resample's Bilinear does not (see Average).
# Usage: tools/resample/make_testdata.sh [REAL_DATA_DIR]   (needs gdal-bin)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
real=${1:-${CHUNKPIPE_REAL_DATA:-$here/../../../shared/testdata/real}}
src=$(ls "$real"/abi/OR_ABI-L1b-RadC-M6C16_G16_s20200040316182*.nc)
out=$here/../../resample/testdata
mkdir -p "$out"
warp() { # name srs te tr method type
	gdalwarp -q -overwrite -et 0 -t_srs "$2" -te $3 -tr $4 $4 -r "$5" -ot "$6" -co COMPRESS=DEFLATE \
		NETCDF:"$src":Rad "$out/gdal_$5_$1.tif"
}
warp latlon EPSG:4326 "-100 30 -99 31" 0.01 near UInt16
warp latlon EPSG:4326 "-100 30 -99 31" 0.01 bilinear Float32
warp utm EPSG:32614 "300000 3400000 400000 3500000" 1000 near UInt16
warp utm EPSG:32614 "300000 3400000 400000 3500000" 1000 bilinear Float32
rm -f "$out"/*.aux.xml
ls -l "$out"
