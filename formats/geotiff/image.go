package geotiff

import (
	"fmt"

	"chunkpipe/chunk"
)

// maxBlockBytes bounds the decoded size of one tile or strip.
const maxBlockBytes = 1 << 30

// image is one raster (the main image or an overview) described by an IFD.
type image struct {
	ifd          *ifd
	index        int // position in the IFD chain
	subfile      uint64
	width        int
	height       int
	spp          int // samples per pixel (bands)
	dtype        chunk.DType
	compression  int
	predictor    int
	planar       int // 1: pixel interleaved, 2: planar
	tiled        bool
	blockW       int // tile width, or image width for strips
	blockH       int // tile length, or rows per strip
	across, down int // blocks per row and per column (per plane)
	offsets      []uint64
	counts       []uint64
}

// isOverview reports whether the image is a reduced-resolution version.
func (im *image) isOverview() bool { return im.subfile&1 != 0 }

// isMask reports whether the image is a transparency mask.
func (im *image) isMask() bool { return im.subfile&4 != 0 }

// samplesPerBlockPixel returns how many samples one pixel of a block holds.
func (im *image) samplesPerBlockPixel() int {
	if im.planar == 2 {
		return 1
	}
	return im.spp
}

// blockBytes returns the decoded size of a full block.
func (im *image) blockBytes() int {
	return im.blockW * im.blockH * im.samplesPerBlockPixel() * im.dtype.Size()
}

// blockRows returns how many rows block row br holds when decoded: the full
// tile length for tiles, fewer for the last strip.
func (im *image) blockRows(br int) int {
	if im.tiled {
		return im.blockH
	}
	return min(im.blockH, im.height-br*im.blockH)
}

// blockIndex returns the index into offsets of block (br, bc) of plane p.
func (im *image) blockIndex(p, br, bc int) int {
	return (p*im.down+br)*im.across + bc
}

// dtypeFor maps BitsPerSample and SampleFormat to a chunk type.
func dtypeFor(bits, format int) (chunk.DType, error) {
	switch format {
	case 1:
		switch bits {
		case 8:
			return chunk.Uint8, nil
		case 16:
			return chunk.Uint16, nil
		case 32:
			return chunk.Uint32, nil
		case 64:
			return chunk.Uint64, nil
		}
	case 2:
		switch bits {
		case 8:
			return chunk.Int8, nil
		case 16:
			return chunk.Int16, nil
		case 32:
			return chunk.Int32, nil
		case 64:
			return chunk.Int64, nil
		}
	case 3:
		switch bits {
		case 32:
			return chunk.Float32, nil
		case 64:
			return chunk.Float64, nil
		}
	}
	return chunk.Invalid, fmt.Errorf("unsupported sample type: %d bits with SampleFormat %d", bits, format)
}

// sampleFormatFor returns the TIFF SampleFormat of a chunk type.
func sampleFormatFor(t chunk.DType) int {
	switch {
	case t.IsFloat():
		return 3
	case t.IsSigned():
		return 2
	}
	return 1
}

// newImage validates an IFD as a raster this package can read. fileSize
// bounds the block sizes so that corrupt headers cannot force large
// allocations.
func newImage(d *ifd, index int, fileSize int64) (*image, error) {
	im := &image{ifd: d, index: index}
	var err error
	get := func(t uint16, def uint64) int {
		if err != nil {
			return 0
		}
		var v uint64
		v, err = d.uint(t, def)
		if err == nil && v > 1<<31-1 {
			err = fmt.Errorf("tag %s value %d out of range", tagName(t), v)
		}
		return int(v)
	}
	im.subfile = uint64(get(tagNewSubfileType, 0))
	im.width = get(tagImageWidth, 0)
	im.height = get(tagImageLength, 0)
	im.spp = get(tagSamplesPerPixel, 1)
	im.compression = get(tagCompression, compNone)
	im.predictor = get(tagPredictor, predNone)
	im.planar = get(tagPlanarConfig, 1)
	if err != nil {
		return nil, err
	}
	if im.width <= 0 || im.height <= 0 {
		return nil, fmt.Errorf("image size %dx%d (width x height) is empty or missing", im.width, im.height)
	}
	if im.spp <= 0 || im.spp > 1<<16 {
		return nil, fmt.Errorf("SamplesPerPixel %d out of range", im.spp)
	}
	if im.planar != 1 && im.planar != 2 {
		return nil, fmt.Errorf("PlanarConfiguration %d (want 1 or 2)", im.planar)
	}
	if im.spp == 1 {
		im.planar = 1
	}
	bits, ok := d.uints(tagBitsPerSample)
	if !ok || len(bits) == 0 {
		bits = []uint64{1}
	}
	formats, ok := d.uints(tagSampleFormat)
	if !ok || len(formats) == 0 {
		formats = []uint64{1}
	}
	for _, b := range bits[1:] {
		if b != bits[0] {
			return nil, fmt.Errorf("bands with different BitsPerSample %v are not supported", bits)
		}
	}
	for _, f := range formats[1:] {
		if f != formats[0] {
			return nil, fmt.Errorf("bands with different SampleFormat %v are not supported", formats)
		}
	}
	if bits[0] > 64 || formats[0] > 8 {
		return nil, fmt.Errorf("unsupported sample type: %d bits with SampleFormat %d", bits[0], formats[0])
	}
	if im.dtype, err = dtypeFor(int(bits[0]), int(formats[0])); err != nil {
		return nil, err
	}
	switch im.compression {
	case compNone, compLZW, compDeflate, compDeflateOld, compPackBits, compZstd:
	default:
		return nil, fmt.Errorf("unsupported compression %s", compressionName(im.compression))
	}
	switch im.predictor {
	case predNone:
	case predHoriz:
	case predFloat:
		if !im.dtype.IsFloat() {
			return nil, fmt.Errorf("floating-point predictor on %v samples", im.dtype)
		}
	default:
		return nil, fmt.Errorf("unsupported predictor %d", im.predictor)
	}
	if _, ok := d.field(tagTileWidth); ok {
		im.tiled = true
		im.blockW = get(tagTileWidth, 0)
		im.blockH = get(tagTileLength, 0)
		im.offsets, _ = d.uints(tagTileOffsets)
		im.counts, _ = d.uints(tagTileByteCounts)
	} else {
		im.blockW = im.width
		im.blockH = get(tagRowsPerStrip, uint64(im.height))
		im.blockH = min(im.blockH, im.height)
		im.offsets, _ = d.uints(tagStripOffsets)
		im.counts, _ = d.uints(tagStripByteCounts)
	}
	if err != nil {
		return nil, err
	}
	if im.blockW <= 0 || im.blockH <= 0 {
		return nil, fmt.Errorf("block size %dx%d is empty or missing", im.blockH, im.blockW)
	}
	im.across = (im.width + im.blockW - 1) / im.blockW
	im.down = (im.height + im.blockH - 1) / im.blockH
	planes := 1
	if im.planar == 2 {
		planes = im.spp
	}
	nblocks := uint64(im.across) * uint64(im.down) * uint64(planes)
	if nblocks > uint64(fileSize) {
		return nil, fmt.Errorf("%d blocks cannot fit in a %d-byte file", nblocks, fileSize)
	}
	if uint64(len(im.offsets)) < nblocks || uint64(len(im.counts)) < nblocks {
		return nil, fmt.Errorf("%d block offsets and %d byte counts for %d blocks", len(im.offsets), len(im.counts), nblocks)
	}
	bb := uint64(im.blockW) * uint64(im.blockH) * uint64(im.samplesPerBlockPixel()) * uint64(im.dtype.Size())
	limit := uint64(maxBlockBytes)
	if im.compression == compNone {
		limit = min(limit, uint64(fileSize))
	} else {
		// No codec used here reaches a ratio of 1:4096 on a whole file
		// holding real data; this rejects hostile headers that would make
		// a tiny file allocate gigabytes.
		limit = min(limit, uint64(fileSize)*4096+1<<20)
	}
	if bb > limit {
		return nil, fmt.Errorf("block of %dx%d pixels (%d bytes decoded) is too large for a %d-byte file", im.blockH, im.blockW, bb, fileSize)
	}
	for i := uint64(0); i < nblocks; i++ {
		if im.offsets[i] > uint64(fileSize) || im.counts[i] > uint64(fileSize)-im.offsets[i] {
			return nil, fmt.Errorf("block %d at [%d, +%d) lies beyond end of file (%d bytes)", i, im.offsets[i], im.counts[i], fileSize)
		}
	}
	return im, nil
}
