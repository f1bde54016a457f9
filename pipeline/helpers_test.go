package pipeline

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

// memSource serves regions of an in-memory array; it can be told to fail
// or panic on its n-th read.
type memSource struct {
	a       *chunk.Array
	reads   atomic.Int32
	failAt  int32
	panicAt int32
}

func (m *memSource) ReadRegion(ctx context.Context, r chunk.Region, dst *chunk.Array) error {
	n := m.reads.Add(1)
	if n == m.failAt {
		return fmt.Errorf("injected read failure")
	}
	if n == m.panicAt {
		panic("injected read panic")
	}
	dst.CopyFrom(m.a.Sub(r))
	return nil
}

// memSink assembles written regions into one array and checks that no
// element is written twice.
type memSink struct {
	mu     sync.Mutex
	a      *chunk.Array
	seen   []bool
	writes int
	failAt int
}

func newMemSink(t chunk.DType, s chunk.Shape) *memSink {
	return &memSink{a: chunk.NewArray(t, s.Bounds()), seen: make([]bool, s.Len())}
}

func (m *memSink) WriteRegion(ctx context.Context, a *chunk.Array) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.writes++
	if m.writes == m.failAt {
		return fmt.Errorf("injected write failure (disk full)")
	}
	for r := a.Rect.Row0; r < a.Rect.Row1; r++ {
		for c := a.Rect.Col0; c < a.Rect.Col1; c++ {
			i := r*m.a.Rect.Cols() + c
			if m.seen[i] {
				return fmt.Errorf("element (%d,%d) written twice", r, c)
			}
			m.seen[i] = true
		}
	}
	m.a.CopyFrom(a)
	return nil
}

// granule returns random ABI-like int16 counts with about 3% fill (-1).
func granule(rng *rand.Rand, s chunk.Shape) *chunk.Array {
	a := chunk.NewArray(chunk.Int16, s.Bounds())
	v := chunk.Elems[int16](a)
	for i := range v {
		if rng.Float64() < 0.03 {
			v[i] = -1
		} else {
			v[i] = int16(800 + rng.IntN(2300))
		}
	}
	return a
}

// reference runs the chain over the whole array as one chunk.
func reference(t testing.TB, chain *kernels.Chain, in *chunk.Array) *chunk.Array {
	t.Helper()
	shape := in.Rect.Shape()
	out := chunk.NewArray(chain.OutDType(in.DType), chain.OutputShape(shape).Bounds())
	if out.Rect.Empty() {
		return out
	}
	if err := chain.Apply(out, in.Sub(chain.InputRegion(out.Rect, shape)), shape, kernels.NoPace, kernels.NewScratch()); err != nil {
		t.Fatal(err)
	}
	return out
}

func sameBits(a, b []float32) (int, bool) {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i, false
		}
	}
	return -1, len(a) == len(b)
}

// procConfig makes processes mode start this test binary as the worker.
func procConfig(cfg Config) Config {
	if cfg.Lock == Processes {
		cfg.WorkerCommand = []string{os.Args[0]}
	}
	return cfg
}

// mustChain parses text with the "anchors" preset: the synthetic
// granule's constants.
func mustChain(t testing.TB, text string) *kernels.Chain {
	t.Helper()
	anchors, err := kernels.Preset("anchors")
	if err != nil {
		t.Fatal(err)
	}
	c, err := kernels.ParseChain(text, anchors)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
