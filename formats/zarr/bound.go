package zarr

// Stored-size bounds: the most bytes a chunk file of each codec can hold
// for a chunk of n decoded bytes. The reader refuses a larger chunk file
// before reading it, so a file that declares (or sparsely holds) gigabytes
// for a chunk of kilobytes is an error, not a gigabyte allocation. Each
// bound is the codec's own worst case (what its compressBound function
// returns) plus boundSlack for encoders other than the reference one.

// boundSlack is the margin allowed above a codec's worst case: gzip header
// fields, zstd skippable frames and other encoders' block framing.
const boundSlack = 64 << 10

// maxEncoded of an uncompressed chunk is its decoded size exactly.
func (noneCodec) maxEncoded(n int) int64 { return int64(n) }

// maxEncoded is zlib's compressBound (stored blocks in the worst case)
// plus the gzip header and trailer.
func (c *flateCodec) maxEncoded(n int) int64 {
	m := int64(n)
	return m + m>>12 + m>>14 + m>>25 + 13 + 18 + boundSlack
}

// maxEncoded is ZSTD_COMPRESSBOUND.
func (c *zstdCodec) maxEncoded(n int) int64 {
	m := int64(n)
	b := m + m>>8
	if m < 128<<10 {
		b += (128<<10 - m) >> 11
	}
	return b + boundSlack
}

// maxEncoded is the 4-byte size header plus LZ4_COMPRESSBOUND.
func (lz4Codec) maxEncoded(n int) int64 {
	m := int64(n)
	return 4 + m + m/255 + 16 + boundSlack
}

// maxEncoded is blosc's guarantee that a chunk never takes more than its
// size plus BLOSC_MAX_OVERHEAD (16 bytes in blosc1, 32 in blosc2): a chunk
// that does not compress is stored as a copy.
func (bloscCodec) maxEncoded(n int) int64 { return int64(n) + 32 + boundSlack }
