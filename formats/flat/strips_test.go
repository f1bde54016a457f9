package flat

import (
	"bytes"
	"math/rand/v2"
	"sync"
	"testing"

	"chunkpipe/chunk"
)

// memFile is an in-memory io.WriterAt that counts calls.
type memFile struct {
	mu    sync.Mutex
	b     []byte
	calls int
}

func (m *memFile) WriteAt(p []byte, off int64) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	copy(m.b[off:], p)
	return len(p), nil
}

// StripWriter produces the bytes of WriteRegion for chunks written in any
// order from several goroutines, lent or copied, with strip limits that
// force the row-by-row fallback, and writes whole strips in one call.
func TestStripWriter(t *testing.T) {
	shape := chunk.Shape{Rows: 70, Cols: 53}
	const off = 16
	l := Layout{Offset: off, Shape: shape, DType: chunk.Float32}
	src := chunk.NewArray(chunk.Float32, shape.Bounds())
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range src.Data {
		src.Data[i] = byte(rng.Uint32())
	}
	want := make([]byte, off+int(l.Size()))
	copy(want[off:], src.Data)
	for _, tc := range []struct {
		name      string
		maxStrips int
		maxBytes  int64
		lend      bool
	}{{"copy", 8, 0, false}, {"lend", 8, 0, true}, {"one-strip", 1, 0, true}, {"tiny-strips", 0, 100, false}} {
		t.Run(tc.name, func(t *testing.T) {
			f := &memFile{b: make([]byte, len(want))}
			copy(f.b, want[:off])
			sw := &StripWriter{W: f, L: l, MaxStrips: tc.maxStrips, MaxStripBytes: tc.maxBytes}
			grid, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 16, Cols: 12})
			order := rng.Perm(grid.Len())
			var wg sync.WaitGroup
			work := make(chan int)
			errs := make(chan error, grid.Len())
			for w := 0; w < 3; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for n := range work {
						reg := grid.Region(grid.Index(n))
						var a *chunk.Array
						if tc.lend {
							a = sw.LendRegion(chunk.Float32, reg)
						}
						if a == nil {
							a = chunk.NewArray(chunk.Float32, reg)
						}
						a.CopyFrom(src.Sub(reg))
						errs <- sw.WriteRegion(a)
					}
				}()
			}
			for _, n := range order {
				work <- n
			}
			close(work)
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := sw.Flush(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(f.b, want) {
				t.Fatal("file bytes differ")
			}
			if tc.name == "copy" || tc.name == "lend" {
				if strips := (shape.Rows + 15) / 16; f.calls != strips {
					t.Errorf("%d write calls, want one per strip (%d)", f.calls, strips)
				}
			}
		})
	}
}
