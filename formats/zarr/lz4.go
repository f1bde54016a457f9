package zarr

import (
	"encoding/binary"
	"fmt"

	"github.com/pierrec/lz4/v4"
)

// lz4Codec is numcodecs' LZ4 compressor: a little-endian uint32 holding the
// decoded size, then one LZ4 block. The writer does not offer it (blosc
// covers LZ4), but it encodes too, for tests and completeness.
type lz4Codec struct{}

func (lz4Codec) decode(dst, src []byte) error {
	if len(src) < 4 {
		return fmt.Errorf("lz4: %d-byte input has no size header", len(src))
	}
	if n := binary.LittleEndian.Uint32(src); uint64(n) != uint64(len(dst)) {
		return fmt.Errorf("lz4: header says %d bytes, want %d", n, len(dst))
	}
	return lz4Block(dst, src[4:])
}

// lz4Block decodes one LZ4 block that must fill dst exactly.
func lz4Block(dst, src []byte) error {
	n, err := lz4.UncompressBlock(src, dst)
	if err != nil {
		return fmt.Errorf("lz4: %w", err)
	}
	if n != len(dst) {
		return fmt.Errorf("lz4: decoded %d bytes, want %d", n, len(dst))
	}
	return nil
}

func (lz4Codec) encode(dst, src []byte) ([]byte, error) {
	start := len(dst)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(src)))
	dst = append(dst, make([]byte, lz4.CompressBlockBound(len(src)))...)
	n, err := lz4.CompressBlock(src, dst[start+4:], nil)
	if err != nil {
		return nil, fmt.Errorf("lz4: %w", err)
	}
	if n == 0 && len(src) > 0 {
		return nil, fmt.Errorf("lz4: block of %d bytes did not compress", len(src))
	}
	return dst[:start+4+n], nil
}

func (lz4Codec) config() map[string]any { return map[string]any{"id": "lz4"} }
func (lz4Codec) String() string         { return "lz4" }
