package zarr

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// zstdCodec is numcodecs' Zstd compressor. Its encoder is shared (EncodeAll
// is safe for concurrent use and writes the frame content size that
// numcodecs needs); decoders are pooled streaming decoders, which stop
// after the chunk's size instead of inflating arbitrary input.
type zstdCodec struct {
	level    int
	encOnce  sync.Once
	enc      *zstd.Encoder
	encErr   error
	decoders sync.Pool // of *zstd.Decoder
}

func newZstdCodec(level int) (*zstdCodec, error) {
	if level < -131072 || level > 22 {
		return nil, fmt.Errorf("bad zstd level %d: want at most 22", level)
	}
	return &zstdCodec{level: level}, nil
}

// zstdMaxWindow bounds the window a frame may ask the decoder for. It
// covers every window zstd uses at levels up to 22 without long mode.
const zstdMaxWindow = 128 << 20

// zstdSmallWindow is the window any frame may use whatever its chunk's
// size; larger windows must not exceed twice the chunk, which keeps crafted
// frames from making the decoder allocate a large history for a small
// chunk. Encoders that know the input size (numcodecs, c-blosc, this
// package) size the window to the input.
const zstdSmallWindow = 8 << 20

func (c *zstdCodec) decode(dst, src []byte) error {
	var h zstd.Header
	if h.Decode(src) == nil && !h.SingleSegment && h.WindowSize > zstdSmallWindow && h.WindowSize > 2*uint64(len(dst)) {
		return fmt.Errorf("zstd: frame window of %d bytes for a %d-byte chunk", h.WindowSize, len(dst))
	}
	d, _ := c.decoders.Get().(*zstd.Decoder)
	if d == nil {
		var err error
		d, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(zstdMaxWindow),
			zstd.WithDecoderMaxMemory(maxChunkBytes))
		if err != nil {
			return fmt.Errorf("zstd: %w", err)
		}
	}
	defer c.decoders.Put(d)
	// A bytes.Reader, unlike a bytes.Buffer, keeps the decoder streaming.
	if err := d.Reset(bytes.NewReader(src)); err != nil {
		return fmt.Errorf("zstd: %w", err)
	}
	err := readExactly(dst, d)
	d.Reset(nil)
	if err != nil {
		return fmt.Errorf("zstd: %w", err)
	}
	return nil
}

func (c *zstdCodec) encoder() (*zstd.Encoder, error) {
	c.encOnce.Do(func() {
		c.enc, c.encErr = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.EncoderLevelFromZstd(c.level)),
			zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)), zstd.WithEncoderCRC(false))
	})
	return c.enc, c.encErr
}

func (c *zstdCodec) encode(dst, src []byte) ([]byte, error) {
	e, err := c.encoder()
	if err != nil {
		return nil, fmt.Errorf("zstd: %w", err)
	}
	return e.EncodeAll(src, dst), nil
}

func (c *zstdCodec) config() map[string]any { return map[string]any{"id": "zstd", "level": c.level} }
func (c *zstdCodec) String() string         { return fmt.Sprintf("zstd(level=%d)", c.level) }
