// Package compressbound gives each codec's worst case: the most bytes its
// reference encoder writes for n input bytes (what the C libraries'
// compressBound functions return). Readers refuse a stored chunk, tile or
// strip larger than this plus [Slack] before reading it, so that a header
// declaring gigabytes for kilobytes of data is an error, not a gigabyte
// allocation whose valid prefix then decodes.
package compressbound

// Slack is the margin allowed above a codec's worst case, for encoders
// other than the reference ones (gzip header fields, zstd skippable
// frames, other block framing, padded strips).
const Slack = 64 << 10

// Deflate is zlib's compressBound: DEFLATE stored blocks in the worst
// case, with the zlib header and Adler-32 trailer.
func Deflate(n int64) int64 { return n + n>>12 + n>>14 + n>>25 + 13 }

// Zstd is ZSTD_COMPRESSBOUND.
func Zstd(n int64) int64 {
	b := n + n>>8
	if n < 128<<10 {
		b += (128<<10 - n) >> 11
	}
	return b
}

// LZ4 is LZ4_COMPRESSBOUND.
func LZ4(n int64) int64 { return n + n/255 + 16 }
