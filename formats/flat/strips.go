package flat

import (
	"io"
	"sync"
	"unsafe"

	"chunkpipe/chunk"
)

// StripWriter writes regions of a row-major array like [WriteRegion], but
// gathers regions that do not span whole rows into a buffer per row strip
// (the rows a region covers) and writes each strip with one call once its
// every column has arrived. A square chunk grid over a wide array then
// costs one large write per strip instead of one small write per row:
// measured on tmpfs, 4 KiB row writes of a 10848x10848 float32 output take
// about three times as long as the same bytes in strip-sized writes.
//
// At most MaxStrips strips of at most MaxStripBytes each are buffered; a
// region that would need more is written row by row as before, so memory
// stays bounded for any grid. Regions are expected to tile the array (each
// element written once); overlapping regions are still written correctly,
// by [StripWriter.Flush] at the latest. StripWriter is safe for concurrent
// use.
type StripWriter struct {
	W             io.WriterAt
	L             Layout
	MaxStrips     int   // 0: 2
	MaxStripBytes int64 // 0: 64 MiB

	mu     sync.Mutex
	strips map[[2]int]*strip
	free   [][]byte
}

// strip is one row band being assembled.
type strip struct {
	buf   []byte
	cols  int // columns received so far
	regs  []chunk.Region
	users int // WriteRegion calls copying into buf right now
	lent  int // regions lent out and not yet written
}

// bufferable reports whether regions like reg go through strip buffers.
func (s *StripWriter) bufferable(t chunk.DType, reg chunk.Region) bool {
	l := s.L
	return !l.Fortran && !l.BigEndian && !reg.Empty() && !(reg.Col0 == 0 && reg.Col1 == l.Shape.Cols) &&
		l.Shape.Bounds().Contains(reg) && t == l.DType
}

// limits returns MaxStrips and MaxStripBytes with their defaults.
func (s *StripWriter) limits() (int, int64) {
	maxStrips, maxBytes := s.MaxStrips, s.MaxStripBytes
	if maxStrips <= 0 {
		maxStrips = 2
	}
	if maxBytes <= 0 {
		maxBytes = 64 << 20
	}
	return maxStrips, maxBytes
}

// stripFor returns the strip of reg's rows, creating it when the limits
// allow; s.mu is held.
func (s *StripWriter) stripFor(reg chunk.Region) *strip {
	rowBytes := int64(s.L.Shape.Cols) * int64(s.L.DType.Size())
	maxStrips, maxBytes := s.limits()
	if int64(reg.Rows())*rowBytes > maxBytes {
		return nil
	}
	key := [2]int{reg.Row0, reg.Row1}
	if s.strips == nil {
		s.strips = map[[2]int]*strip{}
	}
	st := s.strips[key]
	if st == nil {
		if len(s.strips) >= maxStrips {
			return nil
		}
		st = &strip{buf: s.getBuf(int(int64(reg.Rows()) * rowBytes))}
		s.strips[key] = st
	}
	return st
}

// LendRegion returns an array over reg whose memory is reg's place in its
// strip buffer (stride: the array's width), for a producer to compute the
// region into; passing it to WriteRegion afterwards then copies nothing.
// It returns nil when reg is not buffered (whole rows, limits reached).
// Every lent array must be passed to WriteRegion exactly once, or the
// writer aborted.
func (s *StripWriter) LendRegion(t chunk.DType, reg chunk.Region) *chunk.Array {
	if !s.bufferable(t, reg) {
		return nil
	}
	sz := s.L.DType.Size()
	rowBytes := s.L.Shape.Cols * sz
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stripFor(reg)
	if st == nil {
		return nil
	}
	st.lent++
	st.regs = append(st.regs, reg)
	o := reg.Col0 * sz
	end := (reg.Rows()-1)*rowBytes + (reg.Col1)*sz
	return &chunk.Array{DType: t, Rect: reg, Stride: s.L.Shape.Cols, Data: st.buf[o:end:end]}
}

// WriteRegion writes a (host byte order) at its place in the file, now or
// when its strip is complete.
func (s *StripWriter) WriteRegion(a *chunk.Array) error {
	l := s.L
	reg := a.Rect
	if !s.bufferable(a.DType, reg) {
		return WriteRegion(s.W, l, a)
	}
	sz := l.DType.Size()
	rowBytes := l.Shape.Cols * sz
	key := [2]int{reg.Row0, reg.Row1}
	s.mu.Lock()
	st := s.strips[key]
	lent := st != nil && len(a.Data) > 0 && st.lent > 0 &&
		unsafe.Pointer(&a.Data[0]) == unsafe.Pointer(&st.buf[reg.Col0*sz])
	if lent {
		st.lent--
	} else {
		if st = s.stripFor(reg); st == nil {
			s.mu.Unlock()
			return WriteRegion(s.W, l, a)
		}
		st.users++
		st.regs = append(st.regs, reg)
		s.mu.Unlock()

		// Copy the region's rows into the strip (regions of one strip are
		// disjoint, so concurrent copies do not overlap).
		n := reg.Cols() * sz
		for r := reg.Row0; r < reg.Row1; r++ {
			o := (r-reg.Row0)*rowBytes + reg.Col0*sz
			copy(st.buf[o:o+n], a.RowBytes(r))
		}
		s.mu.Lock()
		st.users--
	}
	st.cols += reg.Cols()
	if st.cols < l.Shape.Cols || st.users > 0 || st.lent > 0 {
		s.mu.Unlock()
		return nil
	}
	delete(s.strips, key)
	s.mu.Unlock()
	_, err := s.W.WriteAt(st.buf, l.Offset+int64(reg.Row0)*int64(rowBytes))
	s.mu.Lock()
	s.free = append(s.free, st.buf)
	s.mu.Unlock()
	return err
}

// getBuf returns a buffer of n bytes, reusing a freed strip's; s.mu is held.
func (s *StripWriter) getBuf(n int) []byte {
	for i, b := range s.free {
		if cap(b) >= n {
			s.free[i] = s.free[len(s.free)-1]
			s.free = s.free[:len(s.free)-1]
			return b[:n]
		}
	}
	return chunk.AlignedBytes(n)
}

// Flush writes what incomplete strips hold, region by region and row by
// row, and releases every buffer. Call it once no WriteRegion is running.
func (s *StripWriter) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sz := s.L.DType.Size()
	rowBytes := int64(s.L.Shape.Cols) * int64(sz)
	var first error
	for key, st := range s.strips {
		for _, reg := range st.regs {
			n := reg.Cols() * sz
			for r := reg.Row0; r < reg.Row1; r++ {
				o := int64(r-key[0])*rowBytes + int64(reg.Col0*sz)
				if _, err := s.W.WriteAt(st.buf[o:o+int64(n)], s.L.Offset+int64(r)*rowBytes+int64(reg.Col0*sz)); err != nil && first == nil {
					first = err
				}
			}
		}
	}
	s.strips, s.free = nil, nil
	return first
}
