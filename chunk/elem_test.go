package chunk

import (
	"math"
	"testing"
)

// PutElem stores each type's value so that reading the element back gives
// it, and refuses non-integers for integer types.
func TestPutElem(t *testing.T) {
	for _, d := range DTypes() {
		a := NewArray(d, Rect(0, 0, 1, 1))
		v := -3.0
		if !d.IsSigned() && !d.IsFloat() {
			v = 200
		}
		if err := PutElem(a.Data, d, v); err != nil {
			t.Fatalf("%v: %v", d, err)
		}
		got := make([]float64, 1)
		if err := ConvertRow(got, a, 0, 0); err != nil {
			t.Fatal(err)
		}
		if got[0] != v {
			t.Errorf("%v: stored %v, read %v", d, v, got[0])
		}
		if !d.IsFloat() {
			if PutElem(a.Data, d, 1.5) == nil || PutElem(a.Data, d, math.NaN()) == nil {
				t.Errorf("%v: a non-integer was stored", d)
			}
		}
	}
	nan := NewArray(Float32, Rect(0, 0, 1, 1))
	if err := PutElem(nan.Data, Float32, math.NaN()); err != nil || !math.IsNaN(float64(nan.Float32s()[0])) {
		t.Errorf("NaN stored as float32 %v (%v)", nan.Float32s()[0], err)
	}

}
