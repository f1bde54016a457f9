package geotiff

import "chunkpipe/internal/compressbound"

const boundSlack = compressbound.Slack

// maxStored returns the most bytes a block of n decoded bytes can take in
// the file under compression: the codec's worst case (what its
// compressBound returns; LZW's 12-bit codes for 8-bit input give 1.5x)
// plus boundSlack. readBlock refuses a larger TileByteCounts or
// StripByteCounts entry before it allocates or reads anything, so a
// header that declares gigabytes for a tile of kilobytes is an error, not
// a gigabyte read that then decodes its valid prefix and succeeds.
func maxStored(compression, n int) int64 {
	m := int64(n)
	switch compression {
	case compNone:
		return m + boundSlack
	case compDeflate, compDeflateOld:
		return compressbound.Deflate(m) + boundSlack
	case compLZW:
		return m + m/2 + m/1024 + boundSlack
	case compPackBits:
		return m + m/128 + 1 + boundSlack
	case compZstd:
		return compressbound.Zstd(m) + boundSlack
	}
	return m + m/2 + boundSlack
}
