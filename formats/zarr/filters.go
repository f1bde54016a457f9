package zarr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
)

// shuffleFilter is numcodecs' Shuffle filter (id "shuffle") around a
// compressor: the chunk's bytes are grouped by their position in the
// element (all first bytes, then all second bytes, ...) before they are
// compressed, as HDF5's shuffle filter does. Kerchunk indexes of HDF5
// datasets with shuffle and deflate describe their chunks so.
type shuffleFilter struct {
	inner    codec
	elemSize int
	bufs     sync.Pool // of *[]byte, shuffled chunks
}

// withFilters wraps c in the filters a .zarray lists (applied in list
// order when encoding, so undone in reverse when decoding). Only shuffle
// is supported.
func withFilters(raw json.RawMessage, c codec, elemSize int) (codec, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" || string(raw) == "[]" {
		return c, nil
	}
	var list []struct {
		ID          string `json:"id"`
		ElementSize *int   `json:"elementsize"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("bad filters %s: %v", raw, err)
	}
	for i := len(list) - 1; i >= 0; i-- {
		f := list[i]
		if f.ID != "shuffle" {
			return nil, fmt.Errorf("unsupported filter %q in %s (chunkpipe reads the shuffle filter only)", f.ID, raw)
		}
		size := elemSize
		if f.ElementSize != nil {
			size = *f.ElementSize
		}
		if size != elemSize {
			return nil, fmt.Errorf("shuffle filter with elementsize %d on %d-byte elements", size, elemSize)
		}
		c = &shuffleFilter{inner: c, elemSize: size}
	}
	return c, nil
}

func (s *shuffleFilter) decode(dst, src []byte) error {
	bp, _ := s.bufs.Get().(*[]byte)
	if bp == nil || cap(*bp) < len(dst) {
		b := make([]byte, len(dst))
		bp = &b
	}
	defer s.bufs.Put(bp)
	tmp := (*bp)[:len(dst)]
	if err := s.inner.decode(tmp, src); err != nil {
		return err
	}
	unshuffle(dst, tmp, s.elemSize)
	return nil
}

func (s *shuffleFilter) encode(dst, src []byte) ([]byte, error) {
	tmp := make([]byte, len(src))
	shuffleBytes(tmp, src, s.elemSize)
	return s.inner.encode(dst, tmp)
}

func (s *shuffleFilter) maxEncoded(n int) int64 { return s.inner.maxEncoded(n) }

func (s *shuffleFilter) config() map[string]any { return s.inner.config() }

func (s *shuffleFilter) String() string {
	return fmt.Sprintf("shuffle(elementsize=%d) + %s", s.elemSize, s.inner)
}
