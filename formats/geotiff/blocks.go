package geotiff

import (
	"fmt"

	"chunkpipe/chunk"
)

// BlockLayout is how the selected band of the selected image is stored:
// what an index of the file (a kerchunk reference) records to read its
// blocks without the TIFF directories.
type BlockLayout struct {
	Tiled          bool
	BlockW, BlockH int // tile size, or image width and rows per strip
	Across, Down   int // blocks per row and per column
	Compression    int // TIFF Compression tag (1 none, 8 deflate, ...)
	Predictor      int // TIFF Predictor tag (1 none)
	BigEndian      bool
	DType          chunk.DType
	// Offsets and Counts locate each block of the band, row after row of
	// blocks; a zero count marks a block never written (sparse file).
	Offsets, Counts []uint64
}

// BlockLayout returns the storage of the selected band. Pixel-interleaved
// images of several bands are an error: their blocks hold every band.
func (r *Reader) BlockLayout() (BlockLayout, error) {
	im := r.img
	if im.spp > 1 && im.planar != 2 {
		return BlockLayout{}, fmt.Errorf("geotiff: %s: %d bands interleaved in each block", r.path, im.spp)
	}
	n := im.across * im.down
	first := 0
	if im.planar == 2 {
		first = r.band * n
	}
	if first+n > len(im.offsets) || first+n > len(im.counts) {
		return BlockLayout{}, fmt.Errorf("geotiff: %s: %d block offsets for %d blocks", r.path, len(im.offsets), first+n)
	}
	return BlockLayout{
		Tiled: im.tiled, BlockW: im.blockW, BlockH: im.blockH, Across: im.across, Down: im.down,
		Compression: im.compression, Predictor: im.predictor, BigEndian: !r.st.little, DType: im.dtype,
		Offsets: append([]uint64(nil), im.offsets[first:first+n]...),
		Counts:  append([]uint64(nil), im.counts[first:first+n]...),
	}, nil
}
