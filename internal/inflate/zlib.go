package inflate

import (
	"encoding/binary"
	"hash/adler32"
)

// DecodeZlib decodes the zlib stream (RFC 1950) src into dst, which must
// be exactly as long as the decoded data, and checks the Adler-32 of the
// result against the stream's trailer, which must be there. Streams that
// need a preset dictionary are refused.
func DecodeZlib(dst, src []byte) error {
	if len(src) < 2 {
		return corrupt("zlib stream of %d bytes", len(src))
	}
	cmf, flg := src[0], src[1]
	if cmf&0x0f != 8 || cmf>>4 > 7 || (uint16(cmf)<<8|uint16(flg))%31 != 0 {
		return corrupt("bad zlib header %#02x %#02x", cmf, flg)
	}
	if flg&0x20 != 0 {
		return corrupt("zlib stream needs a preset dictionary")
	}
	n, err := Decode(dst, src[2:])
	if err != nil {
		return err
	}
	rest := src[2+n:]
	if len(rest) < 4 {
		return corrupt("zlib stream ends before its Adler-32 checksum")
	}
	if binary.BigEndian.Uint32(rest) != adler32.Checksum(dst) {
		return corrupt("Adler-32 checksum mismatch")
	}
	return nil
}
