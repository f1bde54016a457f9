package geotiff

import "fmt"

// TIFF tag numbers used by this package.
const (
	tagNewSubfileType   = 254
	tagImageWidth       = 256
	tagImageLength      = 257
	tagBitsPerSample    = 258
	tagCompression      = 259
	tagPhotometric      = 262
	tagImageDescription = 270
	tagStripOffsets     = 273
	tagSamplesPerPixel  = 277
	tagRowsPerStrip     = 278
	tagStripByteCounts  = 279
	tagPlanarConfig     = 284
	tagSoftware         = 305
	tagDateTime         = 306
	tagPredictor        = 317
	tagTileWidth        = 322
	tagTileLength       = 323
	tagTileOffsets      = 324
	tagTileByteCounts   = 325
	tagExtraSamples     = 338
	tagSampleFormat     = 339
	tagModelPixelScale  = 33550
	tagModelTiepoint    = 33922
	tagModelTransform   = 34264
	tagGeoKeyDirectory  = 34735
	tagGeoDoubleParams  = 34736
	tagGeoASCIIParams   = 34737
	tagGDALMetadata     = 42112
	tagGDALNoData       = 42113
)

var tagNames = map[uint16]string{
	254: "NewSubfileType", 255: "SubfileType", 256: "ImageWidth", 257: "ImageLength",
	258: "BitsPerSample", 259: "Compression", 262: "PhotometricInterpretation",
	266: "FillOrder", 269: "DocumentName", 270: "ImageDescription", 271: "Make", 272: "Model",
	273: "StripOffsets", 274: "Orientation", 277: "SamplesPerPixel", 278: "RowsPerStrip",
	279: "StripByteCounts", 282: "XResolution", 283: "YResolution", 284: "PlanarConfiguration",
	296: "ResolutionUnit", 305: "Software", 306: "DateTime", 315: "Artist", 316: "HostComputer",
	317: "Predictor", 320: "ColorMap", 322: "TileWidth", 323: "TileLength", 324: "TileOffsets",
	325: "TileByteCounts", 330: "SubIFDs", 338: "ExtraSamples", 339: "SampleFormat",
	340: "SMinSampleValue", 341: "SMaxSampleValue", 347: "JPEGTables", 33432: "Copyright",
	33550: "ModelPixelScale", 33922: "ModelTiepoint", 34264: "ModelTransformation",
	34735: "GeoKeyDirectory", 34736: "GeoDoubleParams", 34737: "GeoAsciiParams",
	42112: "GDAL_METADATA", 42113: "GDAL_NODATA",
}

// tagName returns the name of a TIFF tag, or its number when unknown.
func tagName(t uint16) string {
	if n, ok := tagNames[t]; ok {
		return n
	}
	return fmt.Sprintf("Tag%d", t)
}

// TIFF field types.
const (
	typeByte      = 1
	typeASCII     = 2
	typeShort     = 3
	typeLong      = 4
	typeRational  = 5
	typeSByte     = 6
	typeUndefined = 7
	typeSShort    = 8
	typeSLong     = 9
	typeSRational = 10
	typeFloat     = 11
	typeDouble    = 12
	typeIFD       = 13
	typeLong8     = 16
	typeSLong8    = 17
	typeIFD8      = 18
)

// typeSize returns the size in bytes of one value of a TIFF field type, or
// 0 for unknown types.
func typeSize(t uint16) int {
	switch t {
	case typeByte, typeASCII, typeSByte, typeUndefined:
		return 1
	case typeShort, typeSShort:
		return 2
	case typeLong, typeSLong, typeFloat, typeIFD:
		return 4
	case typeRational, typeSRational, typeDouble, typeLong8, typeSLong8, typeIFD8:
		return 8
	}
	return 0
}

// Compression schemes.
const (
	compNone       = 1
	compLZW        = 5
	compDeflate    = 8
	compPackBits   = 32773
	compDeflateOld = 32946
	compZstd       = 50000
)

// compressionName returns a short name for a TIFF compression code.
func compressionName(c int) string {
	switch c {
	case compNone:
		return "none"
	case compLZW:
		return "LZW"
	case compDeflate:
		return "deflate"
	case compDeflateOld:
		return "deflate (old code 32946)"
	case compPackBits:
		return "PackBits"
	case compZstd:
		return "zstd"
	case 6, 7:
		return "JPEG"
	case 34887:
		return "LERC"
	case 50001:
		return "WebP"
	case 34925:
		return "LZMA"
	}
	return fmt.Sprintf("code %d", c)
}

// Predictors.
const (
	predNone  = 1
	predHoriz = 2
	predFloat = 3
)
