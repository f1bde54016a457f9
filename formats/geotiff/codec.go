package geotiff

import (
	"bytes"
	"fmt"
	"io"
	"sync"

	"chunkpipe/internal/inflate"

	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"golang.org/x/image/tiff/lzw"
)

// zlibReaders pools zlib decompressors; each is Reset onto the next block.
var zlibReaders sync.Pool

// zstdDec is shared by all readers: DecodeAll is safe for concurrent use.
var zstdDec = sync.OnceValue(func() *zstd.Decoder {
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(maxBlockBytes))
	if err != nil {
		panic("geotiff: zstd decoder: " + err.Error()) // only fails on bad options
	}
	return d
})

// decompress decodes one compressed block src into dst, which has exactly
// the expected decoded size. It returns the number of bytes produced; a
// short result means the block was truncated.
func decompress(compression int, dst, src []byte) (int, error) {
	switch compression {
	case compNone:
		return copy(dst, src), nil
	case compDeflate, compDeflateOld:
		// A whole tile decodes in one call into dst; a truncated one (which
		// GDAL reads as far as it goes) takes the streaming path below.
		if inflate.DecodeZlib(dst, src) == nil {
			return len(dst), nil
		}
		br := bytes.NewReader(src)
		var zr io.ReadCloser
		if v := zlibReaders.Get(); v != nil {
			zr = v.(io.ReadCloser)
			if err := zr.(zlib.Resetter).Reset(br, nil); err != nil {
				return 0, fmt.Errorf("deflate: %v", err)
			}
		} else {
			var err error
			if zr, err = zlib.NewReader(br); err != nil {
				return 0, fmt.Errorf("deflate: %v", err)
			}
		}
		n, err := io.ReadFull(zr, dst)
		zlibReaders.Put(zr)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return n, fmt.Errorf("deflate: %v", err)
		}
		return n, nil
	case compLZW:
		lr := lzw.NewReader(bytes.NewReader(src), lzw.MSB, 8)
		n, err := io.ReadFull(lr, dst)
		lr.Close()
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return n, fmt.Errorf("LZW: %v", err)
		}
		return n, nil
	case compZstd:
		out, err := zstdDec().DecodeAll(src, dst[:0])
		if err != nil {
			return 0, fmt.Errorf("zstd: %v", err)
		}
		if len(out) > len(dst) {
			return 0, fmt.Errorf("zstd: block decodes to %d bytes, want %d", len(out), len(dst))
		}
		if len(out) > 0 && &out[0] != &dst[0] {
			copy(dst, out)
		}
		return len(out), nil
	case compPackBits:
		return unpackBits(dst, src)
	}
	return 0, fmt.Errorf("unsupported compression %s", compressionName(compression))
}

// unpackBits decodes Apple PackBits run-length data into dst.
func unpackBits(dst, src []byte) (int, error) {
	n := 0
	for i := 0; i < len(src) && n < len(dst); {
		c := int8(src[i])
		i++
		switch {
		case c >= 0:
			k := int(c) + 1
			if i+k > len(src) {
				return n, fmt.Errorf("PackBits: literal run of %d bytes past end of block", k)
			}
			if n+k > len(dst) {
				k = len(dst) - n
			}
			copy(dst[n:], src[i:i+k])
			n += k
			i += int(c) + 1
		case c != -128:
			k := 1 - int(c)
			if i >= len(src) {
				return n, fmt.Errorf("PackBits: repeat run past end of block")
			}
			b := src[i]
			i++
			for ; k > 0 && n < len(dst); k-- {
				dst[n] = b
				n++
			}
		}
	}
	return n, nil
}

// encoder compresses blocks for the writer. It is safe for concurrent use.
type encoder struct {
	compression int
	level       int
	zlibPool    sync.Pool
	zstdEnc     *zstd.Encoder
}

// newEncoder returns an encoder for compression at level (0: default).
func newEncoder(compression, level int) (*encoder, error) {
	e := &encoder{compression: compression, level: level}
	switch compression {
	case compNone:
	case compDeflate:
		if level == 0 {
			e.level = 6
		}
		if e.level < 1 || e.level > 9 {
			return nil, fmt.Errorf("deflate level %d out of range [1, 9]", level)
		}
	case compZstd:
		if level == 0 {
			e.level = 9
		}
		if e.level < 1 || e.level > 22 {
			return nil, fmt.Errorf("zstd level %d out of range [1, 22]", level)
		}
		var err error
		e.zstdEnc, err = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.EncoderLevelFromZstd(e.level)))
		if err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("cannot write compression %s", compressionName(compression))
	}
	return e, nil
}

// encode appends the compressed form of src to dst[:0] and returns it.
func (e *encoder) encode(dst, src []byte) ([]byte, error) {
	switch e.compression {
	case compNone:
		return append(dst[:0], src...), nil
	case compZstd:
		return e.zstdEnc.EncodeAll(src, dst[:0]), nil
	case compDeflate:
		buf := bytes.NewBuffer(dst[:0])
		var zw *zlib.Writer
		if v := e.zlibPool.Get(); v != nil {
			zw = v.(*zlib.Writer)
			zw.Reset(buf)
		} else {
			var err error
			if zw, err = zlib.NewWriterLevel(buf, e.level); err != nil {
				return nil, err
			}
		}
		if _, err := zw.Write(src); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		e.zlibPool.Put(zw)
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("cannot write compression %s", compressionName(e.compression))
}
