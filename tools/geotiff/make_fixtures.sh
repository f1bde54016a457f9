#!/bin/sh
# Regenerates the GDAL-written GeoTIFF fixtures in testdata/geotiff/ that
# formats/geotiff's tests read. Needs Debian's gdal-bin and python3-gdal
# (with numpy); run from the repository root:
#
#     sh tools/geotiff/make_fixtures.sh
#
# For every fixture NAME.tif it writes NAME.npy holding the expected values
# as a (bands, rows, cols) little-endian array. Images are 45 rows x 67
# columns so that tiles and strips have partial edges.
set -eu
out=testdata/geotiff
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

# base DTYPE BANDS NAME [NODATA]: writes an uncompressed source and the .npy.
base() {
	/usr/bin/python3 - "$1" "$2" "$tmp/$3.src.tif" "$out/$3.npy" "${4:-}" <<'PY'
import sys
import numpy as np
from osgeo import gdal
gdal.UseExceptions()
dtype, bands, path, npy, nodata = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
rows, cols = 45, 67
rng = np.random.default_rng(sum(map(ord, path)))
info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
y, x = np.mgrid[0:rows, 0:cols]
a = np.empty((bands, rows, cols), dtype=dtype)
for b in range(bands):
    if info is not None:
        # a smooth ramp plus noise, reaching both ends of the range
        v = rng.integers(info.min, info.max, size=(rows, cols), dtype=dtype, endpoint=True)
        v[::3] = (x[::3] * 7 + y[::3] * 3 + b).astype(dtype)
        v[0, 0], v[0, 1] = info.min, info.max
        a[b] = v
    else:
        v = (np.sin(x / 7.0 + b) * 1000 + y * 0.25 + rng.normal(size=(rows, cols))).astype(dtype)
        v[1, 2], v[2, 3], v[3, 4] = np.nan, np.inf, -np.inf
        v[4, 5] = np.finfo(dtype).tiny
        a[b] = v
gtype = {"uint8": gdal.GDT_Byte, "int8": gdal.GDT_Byte, "uint16": gdal.GDT_UInt16, "int16": gdal.GDT_Int16,
         "uint32": gdal.GDT_UInt32, "int32": gdal.GDT_Int32, "float32": gdal.GDT_Float32,
         "float64": gdal.GDT_Float64, "int64": gdal.GDT_Int64, "uint64": gdal.GDT_UInt64}[dtype]
opts = ["PIXELTYPE=SIGNEDBYTE"] if dtype == "int8" else []
ds = gdal.GetDriverByName("GTiff").Create(path, cols, rows, bands, gtype, opts)
ds.SetGeoTransform([500000.0, 30.0, 0.0, 4200000.0, 0.0, -30.0])
ds.SetProjection("EPSG:32633")
for b in range(bands):
    band = ds.GetRasterBand(b + 1)
    band.WriteArray(a[b].view("uint8") if dtype == "int8" else a[b])
    if nodata:
        band.SetNoDataValue(float(nodata))
    if b == 0:
        band.SetScale(0.01)
        band.SetOffset(-5.0)
ds = None
np.save(npy, a.astype(a.dtype.newbyteorder("<")))
PY
}

# fix NAME gdal_translate-options...: converts the source of NAME.
fix() {
	name=$1
	shift
	gdal_translate -q "$@" "$tmp/$name.src.tif" "$out/$name.tif"
}

base uint8 3 u8_lzw_strips_pixel
fix u8_lzw_strips_pixel -co COMPRESS=LZW -co PREDICTOR=2 -co INTERLEAVE=PIXEL -co BLOCKYSIZE=7

base int8 1 i8_deflate_tiled
fix i8_deflate_tiled -co COMPRESS=DEFLATE -co TILED=YES -co BLOCKXSIZE=32 -co BLOCKYSIZE=16

base int16 3 i16_packbits_tiled_planar
fix i16_packbits_tiled_planar -co COMPRESS=PACKBITS -co TILED=YES -co BLOCKXSIZE=16 -co BLOCKYSIZE=16 -co INTERLEAVE=BAND

base uint16 1 u16_deflate_pred2_bigendian 0
fix u16_deflate_pred2_bigendian -co COMPRESS=DEFLATE -co PREDICTOR=2 -co ENDIANNESS=BIG -co TILED=YES -co BLOCKXSIZE=32 -co BLOCKYSIZE=16

base int32 1 i32_none_strips -9999
fix i32_none_strips -co COMPRESS=NONE -co BLOCKYSIZE=10

base uint32 2 u32_lzw_pred2_tiled_pixel
fix u32_lzw_pred2_tiled_pixel -co COMPRESS=LZW -co PREDICTOR=2 -co INTERLEAVE=PIXEL -co TILED=YES -co BLOCKXSIZE=16 -co BLOCKYSIZE=32

base float32 2 f32_zstd_pred3_bigtiff_pixel nan
fix f32_zstd_pred3_bigtiff_pixel -co COMPRESS=ZSTD -co PREDICTOR=3 -co BIGTIFF=YES -co INTERLEAVE=PIXEL -co TILED=YES -co BLOCKXSIZE=16 -co BLOCKYSIZE=16

base float64 2 f64_deflate_pred3_bigendian_planar
fix f64_deflate_pred3_bigendian_planar -co COMPRESS=DEFLATE -co PREDICTOR=3 -co ENDIANNESS=BIG -co INTERLEAVE=BAND -co TILED=YES -co BLOCKXSIZE=32 -co BLOCKYSIZE=32

base float32 1 f32_lzw_pred3_strips_bigendian
fix f32_lzw_pred3_strips_bigendian -co COMPRESS=LZW -co PREDICTOR=3 -co ENDIANNESS=BIG -co BLOCKYSIZE=8

base int64 1 i64_zstd_pred2_bigtiff_bigendian
fix i64_zstd_pred2_bigtiff_bigendian -co COMPRESS=ZSTD -co PREDICTOR=2 -co BIGTIFF=YES -co ENDIANNESS=BIG -co TILED=YES -co BLOCKXSIZE=16 -co BLOCKYSIZE=16

base uint64 1 u64_packbits_strips
fix u64_packbits_strips -co COMPRESS=PACKBITS -co BLOCKYSIZE=4

# A COG with overviews (GDAL's COG driver), read through overview:K.
base uint16 1 u16_cog_overviews
gdal_translate -q -of COG -co COMPRESS=DEFLATE -co OVERVIEW_RESAMPLING=NEAREST \
	-co OVERVIEW_COUNT=2 "$tmp/u16_cog_overviews.src.tif" "$out/u16_cog_overviews.tif"
/usr/bin/python3 - "$out/u16_cog_overviews.tif" "$out/u16_cog_overviews.ovr.npy" <<'PY'
import sys
import numpy as np
from osgeo import gdal
ds = gdal.Open(sys.argv[1])
b = ds.GetRasterBand(1)
# Overviews flattened one after the other (sizes are in the test).
np.save(sys.argv[2], np.concatenate([b.GetOverview(k).ReadAsArray().ravel() for k in range(b.GetOverviewCount())]).astype("<u2"))
PY

# A sparse file: only the first tile written, the others read as nodata.
/usr/bin/python3 - "$out/f32_sparse_nodata.tif" "$out/f32_sparse_nodata.npy" <<'PY'
import sys
import numpy as np
from osgeo import gdal
gdal.UseExceptions()
ds = gdal.GetDriverByName("GTiff").Create(sys.argv[1], 67, 45, 1, gdal.GDT_Float32,
    ["SPARSE_OK=TRUE", "TILED=YES", "BLOCKXSIZE=32", "BLOCKYSIZE=32", "COMPRESS=DEFLATE"])
b = ds.GetRasterBand(1)
b.SetNoDataValue(-5.5)
tile = np.arange(32 * 32, dtype="float32").reshape(32, 32)
b.WriteArray(tile, 0, 0)
ds = None
a = np.full((1, 45, 67), -5.5, dtype="<f4")
a[0, :32, :32] = tile
np.save(sys.argv[2], a)
PY
ls -l "$out"
