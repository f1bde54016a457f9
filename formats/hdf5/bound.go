package hdf5

import "chunkpipe/internal/compressbound"

const boundSlack = compressbound.Slack

// maxStored returns the most bytes a chunk of chunkBytes decoded bytes
// can take in the file after the filters that mask leaves on: exactly
// chunkBytes when none applies; else each filter's worst case in turn
// (deflate: zlib's compressBound; fletcher32: 4 more bytes; shuffle: the
// same size; a filter this package cannot decode: half again as much)
// plus boundSlack. readChunk refuses a larger stored size before it
// allocates or reads, so a chunk index that declares gigabytes for a chunk
// of bytes is an error, not a gigabyte read whose valid prefix decodes.
func maxStored(filters []Filter, mask uint32, chunkBytes uint64) uint64 {
	n := chunkBytes
	filtered := false
	for i, ft := range filters {
		if mask&(1<<uint(i)) != 0 {
			continue
		}
		filtered = true
		switch ft.ID {
		case FilterShuffle:
		case FilterFletcher32:
			n += 4
		case FilterDeflate:
			n = uint64(compressbound.Deflate(int64(n)))
		default:
			n += n / 2
		}
	}
	if !filtered {
		return chunkBytes
	}
	return n + boundSlack
}
