#!/usr/bin/env bash
# Regenerates resample/testdata: gdalwarp's nearest and bilinear resampling
# (exact transforms, -et 0) of real files to small target grids, 100x100
# each, which resample's tests reproduce. The GOES-16 CONUS band 16 file
# (NETCDF:file:Rad, geostationary):
#   latlon: EPSG:4326, -100,30 to -99,31, 0.01 degrees
#   utm:    EPSG:32614, 300000,3400000 to 400000,3500000, 1000 m
#   lcc:    EPSG:3978 (Canada Atlas Lambert), 0,-450000 to 100000,-350000, 1000 m
#   stere:  EPSG:3413 (NSIDC north polar stereographic), -3930000,-3300000
#           to -3830000,-3200000, 1000 m
# The Sentinel-2 B04 tile (UTM zone 29N, 100 m, nodata 0):
#   s2_latlon: EPSG:4326, -11.5,24.5 to -11.45,24.55, 0.0005 degrees
#   s2_utm28:  EPSG:32628 (the zone west: 3.6 degrees off its meridian),
#              859000,2745000 to 864000,2750000, 50 m
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
s2=$real/geotiff/S2A_29RKH_20200219_0_L2A_B04.tif
warp() { # name srs te tr method type [input]
	gdalwarp -q -overwrite -et 0 -t_srs "$2" -te $3 -tr $4 $4 -r "$5" -ot "$6" -co COMPRESS=DEFLATE \
		"${7:-NETCDF:"$src":Rad}" "$out/gdal_$5_$1.tif"
}
warp latlon EPSG:4326 "-100 30 -99 31" 0.01 near UInt16
warp latlon EPSG:4326 "-100 30 -99 31" 0.01 bilinear Float32
warp utm EPSG:32614 "300000 3400000 400000 3500000" 1000 near UInt16
warp utm EPSG:32614 "300000 3400000 400000 3500000" 1000 bilinear Float32
warp lcc EPSG:3978 "0 -450000 100000 -350000" 1000 near UInt16
warp lcc EPSG:3978 "0 -450000 100000 -350000" 1000 bilinear Float32
warp stere EPSG:3413 "-3930000 -3300000 -3830000 -3200000" 1000 near UInt16
warp stere EPSG:3413 "-3930000 -3300000 -3830000 -3200000" 1000 bilinear Float32
warp s2_latlon EPSG:4326 "-11.5 24.5 -11.45 24.55" 0.0005 near UInt16 "$s2"
warp s2_latlon EPSG:4326 "-11.5 24.5 -11.45 24.55" 0.0005 bilinear Float32 "$s2"
warp s2_utm28 EPSG:32628 "859000 2745000 864000 2750000" 50 near UInt16 "$s2"
warp s2_utm28 EPSG:32628 "859000 2745000 864000 2750000" 50 bilinear Float32 "$s2"
rm -f "$out"/*.aux.xml
ls -l "$out"
