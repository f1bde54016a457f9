package compressbound

import (
	"bytes"
	"compress/zlib"
	"crypto/rand"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// Incompressible input never encodes to more than each bound: exactly
// for zstd and LZ4; for deflate within Slack, since Go's compress/zlib (an
// encoder other than zlib's) closes with an extra empty block and goes a
// few bytes past zlib's own compressBound.
func TestBoundsHoldForRandomInput(t *testing.T) {
	for _, n := range []int{0, 1, 100, 4096, 1 << 17, 1 << 20} {
		in := make([]byte, n)
		rand.Read(in)
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(in)
		zw.Close()
		if int64(z.Len()) > Deflate(int64(n))+Slack {
			t.Errorf("zlib of %d bytes: %d > bound %d + slack", n, z.Len(), Deflate(int64(n)))
		}
		enc, _ := zstd.NewWriter(nil)
		zs := enc.EncodeAll(in, nil)
		if int64(len(zs)) > Zstd(int64(n)) {
			t.Errorf("zstd of %d bytes: %d > bound %d", n, len(zs), Zstd(int64(n)))
		}
		buf := make([]byte, lz4.CompressBlockBound(n))
		m, err := lz4.CompressBlock(in, buf, nil)
		if err != nil || int64(m) > LZ4(int64(n)) {
			t.Errorf("lz4 of %d bytes: %d > bound %d (%v)", n, m, LZ4(int64(n)), err)
		}
	}
}
