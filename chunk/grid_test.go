package chunk

import (
	"math/rand/v2"
	"testing"
)

// The chunks of a grid tile the array exactly: no gaps, no overlaps, ragged
// edges included.
func TestGridTiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for n := 0; n < 200; n++ {
		shape := Shape{1 + rng.IntN(70), 1 + rng.IntN(70)}
		g, err := NewGrid(shape, Shape{1 + rng.IntN(shape.Rows), 1 + rng.IntN(shape.Cols)})
		if err != nil {
			t.Fatal(err)
		}
		seen := make([]int, shape.Len())
		for i := 0; i < g.Len(); i++ {
			idx := g.Index(i)
			if g.Linear(idx) != i {
				t.Fatalf("Linear(Index(%d)) = %d", i, g.Linear(idx))
			}
			r := g.Region(idx)
			if r.Empty() {
				t.Fatalf("%v: chunk %v is empty", g, idx)
			}
			for row := r.Row0; row < r.Row1; row++ {
				for col := r.Col0; col < r.Col1; col++ {
					seen[row*shape.Cols+col]++
				}
			}
		}
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("%v: element %d covered %d times", g, i, c)
			}
		}
	}
	if _, err := NewGrid(Shape{10, 10}, Shape{0, 5}); err == nil {
		t.Error("zero chunk rows accepted")
	}
	if (Grid{}).Len() != 0 {
		t.Error("zero grid has chunks")
	}
}

func TestRegionAlgebra(t *testing.T) {
	a := Rect(0, 0, 10, 10)
	b := Rect(5, 5, 15, 15)
	if got := a.Intersect(b); got != Rect(5, 5, 10, 10) {
		t.Errorf("Intersect = %v", got)
	}
	if !a.Intersect(Rect(20, 20, 30, 30)).Empty() {
		t.Error("disjoint intersection not empty")
	}
	if got := Rect(2, 3, 4, 5).Grow(2); got != Rect(0, 1, 6, 7) {
		t.Errorf("Grow = %v", got)
	}
	if got := Rect(4, 8, 13, 17).Shrink(4); got != Rect(1, 2, 3, 4) {
		t.Errorf("Shrink = %v", got)
	}
	if got := Rect(1, 2, 3, 4).Scale(3); got != Rect(3, 6, 9, 12) {
		t.Errorf("Scale = %v", got)
	}
	if !a.Contains(Rect(1, 1, 2, 2)) || a.Contains(b) {
		t.Error("Contains wrong")
	}
}

func TestArraySubAndCopy(t *testing.T) {
	a := NewArray(Float32, Rect(10, 20, 14, 25))
	v := a.Float32s()
	for i := range v {
		v[i] = float32(i)
	}
	s := a.Sub(Rect(11, 21, 13, 24))
	if got := Elems[float32](s)[0]; got != float32(a.Offset(11, 21)) {
		t.Errorf("Sub first element %v", got)
	}
	b := NewArray(Float32, Rect(11, 22, 13, 30))
	b.CopyFrom(a)
	if got := b.Float32s()[b.Offset(12, 23)]; got != v[a.Offset(12, 23)] {
		t.Errorf("CopyFrom got %v", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("Sub outside the array did not panic")
		}
	}()
	a.Sub(Rect(0, 0, 1, 1))
}
