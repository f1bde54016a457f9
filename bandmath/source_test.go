package bandmath

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

// threeBands returns a 1 km band (c05, 40x60) and two 2 km bands (c06,
// c07, 20x30) of random int16 counts with fill values.
func threeBands() []Input {
	fine := chunk.Shape{Rows: 40, Cols: 60}
	coarse := chunk.Shape{Rows: 20, Cols: 30}
	return []Input{
		{Name: "c05", Reader: newMem("c05", fine, chunk.Shape{Rows: 10, Cols: 10}, randomCounts(5, 0, 1000, 7)), Params: calParams(0.5, -3)},
		{Name: "c06", Reader: newMem("c06", coarse, chunk.Shape{Rows: 5, Cols: 5}, randomCounts(6, 0, 1000, 9)), Params: calParams(0.25, 1)},
		{Name: "c07", Reader: newMem("c07", coarse, chunk.Shape{Rows: 5, Cols: 5}, randomCounts(7, 100, 1000, 0)), Params: paramsC07},
	}
}

// calibrated returns input in's whole array calibrated with the kernel.
func calibrated(t *testing.T, in Input) *chunk.Array {
	t.Helper()
	m := in.Reader.(*memReader)
	raw := chunk.NewArray(chunk.Int16, m.info.Shape.Bounds())
	copy(chunk.Elems[int16](raw), m.data)
	k, err := kernels.NewCalibrate(in.Params)
	if err != nil {
		t.Fatal(err)
	}
	out := chunk.NewArray(chunk.Float32, raw.Rect)
	if err := k.Apply(out, raw, kernels.NoPace); err != nil {
		t.Fatal(err)
	}
	return out
}

func readAll(t *testing.T, s *Source, r chunk.Region) *chunk.Array {
	t.Helper()
	dst := &chunk.Array{}
	dst.ResetPlanes(chunk.Float32, r, s.Planes())
	if err := s.ReadRegion(context.Background(), r, dst); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestSourceGrids(t *testing.T) {
	tests := []struct {
		grid, target string
		shape        chunk.Shape
		storage      chunk.Shape
		c05, c07     [2]int // down, up
	}{
		{GridCoarsest, "c06", chunk.Shape{Rows: 20, Cols: 30}, chunk.Shape{Rows: 5, Cols: 5}, [2]int{2, 1}, [2]int{1, 1}},
		{GridFinest, "c05", chunk.Shape{Rows: 40, Cols: 60}, chunk.Shape{Rows: 10, Cols: 10}, [2]int{1, 1}, [2]int{1, 2}},
		{"c07", "c07", chunk.Shape{Rows: 20, Cols: 30}, chunk.Shape{Rows: 5, Cols: 5}, [2]int{2, 1}, [2]int{1, 1}},
		{"c05", "c05", chunk.Shape{Rows: 40, Cols: 60}, chunk.Shape{Rows: 10, Cols: 10}, [2]int{1, 1}, [2]int{1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.grid, func(t *testing.T) {
			s, err := NewSource(threeBands(), tt.grid)
			if err != nil {
				t.Fatal(err)
			}
			if s.Target() != tt.target || s.Shape() != tt.shape || s.Storage() != tt.storage || s.Planes() != 3 {
				t.Errorf("target %s shape %v storage %v planes %d", s.Target(), s.Shape(), s.Storage(), s.Planes())
			}
			for name, want := range map[string][2]int{"c05": tt.c05, "c07": tt.c07} {
				if d, u, ok := s.Factor(name); !ok || [2]int{d, u} != want {
					t.Errorf("Factor(%s) = %d, %d, want %v", name, d, u, want)
				}
			}
		})
	}
}

// TestSourceCoarsenAndReplicate checks plane values against block means of
// the finer band and exact copies of the coarser one.
func TestSourceCoarsenAndReplicate(t *testing.T) {
	bands := threeBands()
	c05, c07 := calibrated(t, bands[0]), calibrated(t, bands[2])

	s, err := NewSource(bands, GridCoarsest)
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, s, s.Shape().Bounds())
	allNaN, someNaN := 0, 0
	for row := 0; row < 20; row++ {
		for col := 0; col < 30; col++ {
			var sum float64
			n := 0
			for i := 0; i < 2; i++ {
				for j := 0; j < 2; j++ {
					if v := at(c05, 0, 2*row+i, 2*col+j); v == v {
						sum += float64(v)
						n++
					}
				}
			}
			want := float32(math.NaN())
			if n > 0 {
				want = float32(sum / float64(n))
			}
			switch {
			case n == 0:
				allNaN++
			case n < 4:
				someNaN++
			}
			if g := at(got, 0, row, col); !sameBits(g, want) {
				t.Fatalf("c05 mean (%d,%d) = %v, want %v", row, col, g, want)
			}
			if g, w := at(got, 2, row, col), at(c07, 0, row, col); !sameBits(g, w) {
				t.Fatalf("c07 (%d,%d) = %v, want %v", row, col, g, w)
			}
		}
	}
	if someNaN == 0 {
		t.Error("no block mixed NaN and values: the NaN-ignoring mean is untested")
	}
	t.Logf("%d all-NaN blocks, %d partly NaN", allNaN, someNaN)

	s, err = NewSource(bands, GridFinest)
	if err != nil {
		t.Fatal(err)
	}
	fine := readAll(t, s, chunk.Rect(3, 5, 27, 41)) // odd offsets: partial blocks of the coarse band
	for row := 3; row < 27; row++ {
		for col := 5; col < 41; col++ {
			if g, w := at(fine, 2, row, col), at(c07, 0, row/2, col/2); !sameBits(g, w) {
				t.Fatalf("replicated c07 (%d,%d) = %v, want %v", row, col, g, w)
			}
			if g, w := at(fine, 0, row, col), at(c05, 0, row, col); !sameBits(g, w) {
				t.Fatalf("c05 (%d,%d) = %v, want %v", row, col, g, w)
			}
		}
	}
}

// TestSourceTilings reads the grid whole and in several tilings, from
// concurrent goroutines, and expects identical planes.
func TestSourceTilings(t *testing.T) {
	for _, grid := range []string{GridCoarsest, GridFinest} {
		t.Run(grid, func(t *testing.T) {
			s, err := NewSource(threeBands(), grid)
			if err != nil {
				t.Fatal(err)
			}
			whole := readAll(t, s, s.Shape().Bounds())
			for _, tile := range []chunk.Shape{{Rows: 1, Cols: 1}, {Rows: 3, Cols: 7}, {Rows: 8, Cols: 8}, {Rows: 11, Cols: 60}} {
				g := chunk.Grid{Shape: s.Shape(), Chunk: tile}
				var wg sync.WaitGroup
				errs := make(chan error, g.Len())
				for i := range g.Len() {
					wg.Add(1)
					go func() {
						defer wg.Done()
						r := g.Region(g.Index(i))
						dst := &chunk.Array{}
						dst.ResetPlanes(chunk.Float32, r, s.Planes())
						if err := s.ReadRegion(context.Background(), r, dst); err != nil {
							errs <- err
							return
						}
						for k := 0; k < s.Planes(); k++ {
							for row := r.Row0; row < r.Row1; row++ {
								for col := r.Col0; col < r.Col1; col++ {
									if !sameBits(at(dst, k, row, col), at(whole, k, row, col)) {
										errs <- errors.New("tile " + r.String() + " differs from the whole read")
										return
									}
								}
							}
						}
					}()
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					t.Fatalf("tile %v: %v", tile, err)
				}
			}
		})
	}
}

func TestSourceReadsOnlyTheRegion(t *testing.T) {
	bands := threeBands()
	s, err := NewSource(bands, GridCoarsest)
	if err != nil {
		t.Fatal(err)
	}
	readAll(t, s, chunk.Rect(0, 0, 5, 5))
	if n := bands[0].Reader.(*memReader).maxRead(); n != 100 {
		t.Errorf("c05 read %d elements for a 5x5 region at factor 2, want 100", n)
	}
	if n := bands[1].Reader.(*memReader).maxRead(); n != 25 {
		t.Errorf("c06 read %d elements, want 25", n)
	}
}

func TestSourceOrder(t *testing.T) {
	bands := threeBands()
	s, err := NewSource(bands, GridCoarsest)
	if err != nil {
		t.Fatal(err)
	}
	all := readAll(t, s, s.Shape().Bounds())
	c06 := bands[1].Reader.(*memReader)
	before := len(c06.reads)
	if err := s.Order([]string{"c07", "c05"}); err != nil {
		t.Fatal(err)
	}
	if got := s.Names(); strings.Join(got, ",") != "c07,c05" || s.Planes() != 2 {
		t.Fatalf("Names() = %v", got)
	}
	two := readAll(t, s, s.Shape().Bounds())
	for i, v := range all.Plane(2).Float32s() {
		if !sameBits(two.Plane(0).Float32s()[i], v) || !sameBits(two.Plane(1).Float32s()[i], all.Plane(0).Float32s()[i]) {
			t.Fatalf("reordered planes differ at %d", i)
		}
	}
	if len(c06.reads) != before {
		t.Errorf("c06 was read after Order left it out")
	}
	for _, bad := range [][]string{nil, {"c08"}, {"c05", "c05"}} {
		if err := s.Order(bad); err == nil || !strings.HasPrefix(err.Error(), "bandmath: ") {
			t.Errorf("Order(%v) = %v", bad, err)
		}
	}
}

func TestSourceErrors(t *testing.T) {
	mk := func(name string, rows, cols int) Input {
		return Input{Name: name, Reader: newMem(name, chunk.Shape{Rows: rows, Cols: cols}, chunk.Shape{}, randomCounts(1, 0, 10, 0)), Params: calParams(1, 0)}
	}
	badCal := mk("x", 4, 4)
	badCal.Params = kernels.Params{}
	badCal.Params.SetFloat("scale_factor", math.Inf(1), kernels.SourceFlag)
	tests := []struct {
		name   string
		inputs []Input
		grid   string
		msg    string
	}{
		{"none", nil, GridCoarsest, "no inputs"},
		{"not whole multiple", []Input{mk("c05", 1000, 1000), mk("c07", 500, 400)}, GridCoarsest, "c05 is 1000x1000 and c07 is 500x400"},
		{"different factors", []Input{mk("a", 20, 30), mk("b", 10, 10)}, GridFinest, "b is 10x10 and a is 20x30"},
		{"3 to 2", []Input{mk("a", 6, 6), mk("b", 4, 4)}, GridFinest, "not whole multiples"},
		{"unknown grid", []Input{mk("a", 4, 4)}, "c09", `grid "c09"`},
		{"duplicate", []Input{mk("a", 4, 4), mk("a", 4, 4)}, GridFinest, "given twice"},
		{"bad name", []Input{mk("7up", 4, 4)}, GridFinest, "not a valid expression name"},
		{"nil reader", []Input{{Name: "a"}}, GridFinest, "no reader"},
		{"bad calibration", []Input{badCal}, GridFinest, "input x"},
		{"empty shape", []Input{mk("a", 0, 4)}, GridFinest, "empty shape"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSource(tt.inputs, tt.grid)
			if err == nil || !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "bandmath: ") {
				t.Errorf("err = %v, want one containing %q", err, tt.msg)
			}
		})
	}

	s, err := NewSource(threeBands(), GridCoarsest)
	if err != nil {
		t.Fatal(err)
	}
	r := chunk.Rect(0, 0, 4, 4)
	good := &chunk.Array{}
	good.ResetPlanes(chunk.Float32, r, 3)
	two := &chunk.Array{}
	two.ResetPlanes(chunk.Float32, r, 2)
	for name, c := range map[string]struct {
		r   chunk.Region
		dst *chunk.Array
	}{
		"outside":     {chunk.Rect(18, 0, 22, 4), good},
		"wrong rect":  {chunk.Rect(1, 0, 5, 4), good},
		"wrong count": {r, two},
		"nil":         {r, nil},
	} {
		if err := s.ReadRegion(context.Background(), c.r, c.dst); err == nil {
			t.Errorf("%s: read accepted", name)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.ReadRegion(ctx, r, good); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled read: %v", err)
	}
}

// TestReplicateRegions checks replicate against the definition for
// regions at every offset modulo the factor.
func TestReplicateRegions(t *testing.T) {
	src := chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 5, 5))
	for i := range src.Float32s() {
		src.Float32s()[i] = float32(i)
	}
	for _, f := range []int{1, 2, 3} {
		for r0 := 0; r0 < f+1; r0++ {
			for c0 := 0; c0 < f+1; c0++ {
				r := chunk.Rect(r0, c0, min(5*f, r0+4), min(5*f, c0+5))
				dst := chunk.NewArray(chunk.Float32, r)
				if err := replicate(dst, src.Sub(chunk.Rect(r0/f, c0/f, (r.Row1+f-1)/f, (r.Col1+f-1)/f)), f); err != nil {
					t.Fatal(err)
				}
				for row := r.Row0; row < r.Row1; row++ {
					for col := r.Col0; col < r.Col1; col++ {
						if got, want := at(dst, 0, row, col), at(src, 0, row/f, col/f); got != want {
							t.Fatalf("f=%d %v (%d,%d) = %v, want %v", f, r, row, col, got, want)
						}
					}
				}
			}
		}
	}
	if err := replicate(chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 4, 4)), src.Sub(chunk.Rect(0, 0, 1, 1)), 2); err == nil {
		t.Error("replicate from a too-small source accepted")
	}
}

// TestSourceProgram runs a program over Source planes and checks the
// result against separately computed kernels.
func TestSourceProgram(t *testing.T) {
	bands := threeBands()
	in := map[string]kernels.Params{}
	for _, b := range bands {
		in[b.Name] = b.Params
	}
	p := mustCompile(t, "bt(c07) + c05 * 0 + c06", in)
	s, err := NewSource(bands, GridCoarsest)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Order(p.Inputs()); err != nil {
		t.Fatal(err)
	}
	planes := readAll(t, s, s.Shape().Bounds())
	dst := chunk.NewArray(chunk.Float32, s.Shape().Bounds())
	if err := p.Eval(dst, planes); err != nil {
		t.Fatal(err)
	}
	bt, _ := kernels.NewBT(paramsC07)
	c07 := calibrated(t, bands[2])
	want := chunk.NewArray(chunk.Float32, c07.Rect)
	if err := bt.Apply(want, c07, kernels.NoPace); err != nil {
		t.Fatal(err)
	}
	c06 := calibrated(t, bands[1])
	for i, g := range dst.Float32s() {
		c05 := planes.Plane(1).Float32s()[i]
		w := want.Float32s()[i] + c05*0 + c06.Float32s()[i]
		if !sameBits(g, w) {
			t.Fatalf("element %d = %v, want %v", i, g, w)
		}
	}
}
