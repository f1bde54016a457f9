package zarr

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// codec turns the bytes of one chunk into the bytes of its file and back.
// Implementations are safe for concurrent use and pool their decoders.
type codec interface {
	// decode decompresses src into dst, whose length is the exact size of
	// the decoded chunk. Input that decodes to more or fewer bytes is an
	// error.
	decode(dst, src []byte) error
	// encode appends the compressed form of src to dst.
	encode(dst, src []byte) ([]byte, error)
	// maxEncoded bounds the encoded size of a chunk of n decoded bytes
	// (see bound.go); a chunk file larger than that is corrupt.
	maxEncoded(n int) int64
	// config returns the compressor object for .zarray, nil for none.
	config() map[string]any
	// String names the codec and its settings, e.g. "zstd(level=1)".
	String() string
}

// compressorConfig is the subset of numcodecs compressor settings that
// chunkpipe's codecs use.
type compressorConfig struct {
	ID        string `json:"id"`
	Level     *int   `json:"level"`
	CName     string `json:"cname"`
	CLevel    *int   `json:"clevel"`
	Shuffle   *int   `json:"shuffle"`
	BlockSize *int   `json:"blocksize"`
}

// supportedCompressors lists the compressor ids newCodec accepts.
const supportedCompressors = "blosc, gzip, lz4, zlib, zstd or null"

// newCodec builds the codec a .zarray compressor object describes; a JSON
// null means no compression. elemSize is the array's element size, which
// blosc uses as its type size when encoding.
func newCodec(raw json.RawMessage, elemSize int) (codec, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return noneCodec{}, nil
	}
	var c compressorConfig
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("bad compressor %s: %v", raw, err)
	}
	level := func(def int) int {
		if c.Level != nil {
			return *c.Level
		}
		return def
	}
	switch c.ID {
	case "zlib":
		return newFlateCodec(formatZlib, level(1))
	case "gzip":
		return newFlateCodec(formatGzip, level(1))
	case "zstd":
		return newZstdCodec(level(1))
	case "lz4":
		return lz4Codec{}, nil
	case "blosc":
		b := bloscCodec{cname: c.CName, clevel: 5, shuffle: shuffleByte, typesize: elemSize}
		if c.CLevel != nil {
			b.clevel = *c.CLevel
		}
		if c.Shuffle != nil {
			b.shuffle = *c.Shuffle
		}
		if c.BlockSize != nil {
			b.blocksize = *c.BlockSize
		}
		if _, ok := bloscCodes[b.cname]; !ok {
			return nil, fmt.Errorf("unsupported blosc codec %q (want lz4, lz4hc, blosclz, zstd or zlib)", b.cname)
		}
		return b, nil
	}
	return nil, fmt.Errorf("unsupported compressor %q (want %s)", c.ID, supportedCompressors)
}

// codecForOption returns the writer codec that the "compress" and "level"
// options name: zstd (the default), zlib, gzip, blosc (lz4 with byte
// shuffle) or none.
func codecForOption(name, level string, elemSize int) (codec, error) {
	lv := -1
	if level != "" {
		n, err := strconv.Atoi(level)
		if err != nil {
			return nil, fmt.Errorf("bad level option %q: not an integer", level)
		}
		lv = n
	}
	pick := func(def int) int {
		if lv < 0 {
			return def
		}
		return lv
	}
	switch name {
	case "", "zstd":
		return newZstdCodec(pick(1))
	case "zlib":
		return newFlateCodec(formatZlib, pick(1))
	case "gzip":
		return newFlateCodec(formatGzip, pick(1))
	case "blosc", "blosc-lz4":
		cl := pick(5)
		if cl > 9 {
			return nil, fmt.Errorf("bad blosc level %d: want 0 to 9", cl)
		}
		return bloscCodec{cname: "lz4", clevel: cl, shuffle: shuffleByte, typesize: elemSize}, nil
	case "none", "null":
		return noneCodec{}, nil
	}
	return nil, fmt.Errorf("unsupported compress option %q (want zstd, zlib, gzip, blosc or none)", name)
}

// noneCodec stores chunks uncompressed (compressor null).
type noneCodec struct{}

func (noneCodec) decode(dst, src []byte) error {
	if len(src) != len(dst) {
		return fmt.Errorf("uncompressed chunk holds %d bytes, want %d", len(src), len(dst))
	}
	copy(dst, src)
	return nil
}

func (noneCodec) encode(dst, src []byte) ([]byte, error) { return append(dst, src...), nil }
func (noneCodec) config() map[string]any                 { return nil }
func (noneCodec) String() string                         { return "none" }

// readExactly fills dst from r and checks that r then ends, so that a
// stream decoding to more bytes than the chunk holds is an error rather
// than an unbounded allocation.
func readExactly(dst []byte, r io.Reader) error {
	if n, err := io.ReadFull(r, dst); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return fmt.Errorf("decoded %d bytes, want %d", n, len(dst))
		}
		return err
	}
	var one [1]byte
	n, err := r.Read(one[:])
	for n == 0 && err == nil {
		n, err = r.Read(one[:])
	}
	if n > 0 {
		return fmt.Errorf("decodes to more than %d bytes", len(dst))
	}
	if !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}
