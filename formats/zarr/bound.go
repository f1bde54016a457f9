package zarr

import "chunkpipe/internal/compressbound"

// Stored-size bounds: the most bytes a chunk file of each codec can hold
// for a chunk of n decoded bytes (package compressbound). The reader
// refuses a larger chunk file before reading it, so a file that declares
// (or sparsely holds) gigabytes for a chunk of kilobytes is an error, not
// a gigabyte allocation.

const boundSlack = compressbound.Slack

// maxEncoded of an uncompressed chunk is its decoded size exactly.
func (noneCodec) maxEncoded(n int) int64 { return int64(n) }

// maxEncoded is zlib's compressBound (stored blocks in the worst case)
// plus the gzip header and trailer.
func (c *flateCodec) maxEncoded(n int) int64 {
	return compressbound.Deflate(int64(n)) + 18 + boundSlack
}

// maxEncoded is ZSTD_COMPRESSBOUND.
func (c *zstdCodec) maxEncoded(n int) int64 { return compressbound.Zstd(int64(n)) + boundSlack }

// maxEncoded is the 4-byte size header plus LZ4_COMPRESSBOUND.
func (lz4Codec) maxEncoded(n int) int64 { return 4 + compressbound.LZ4(int64(n)) + boundSlack }

// maxEncoded is blosc's guarantee that a chunk never takes more than its
// size plus BLOSC_MAX_OVERHEAD (16 bytes in blosc1, 32 in blosc2): a chunk
// that does not compress is stored as a copy.
func (bloscCodec) maxEncoded(n int) int64 { return int64(n) + 32 + boundSlack }
