package chunk

import (
	"math"
	"testing"
)

// ConvertRow rounds each element once to the target type, for every
// element type, within a strided view.
func TestConvertRow(t *testing.T) {
	for _, dt := range []DType{Int8, Uint8, Int16, Uint16, Int32, Uint32, Int64, Uint64, Float32, Float64} {
		a := NewArray(dt, Rect(2, 3, 5, 9))
		for i := range a.Data {
			a.Data[i] = byte(i*37 + 11)
		}
		v := a.Sub(Rect(3, 4, 5, 8))
		got32 := make([]float32, 4)
		got64 := make([]float64, 4)
		if err := ConvertRow(got32, v, 4, 4); err != nil {
			t.Fatal(err)
		}
		if err := ConvertRow(got64, v, 4, 4); err != nil {
			t.Fatal(err)
		}
		for j := 0; j < 4; j++ {
			want := elemAt(a, 4, 4+j)
			if got64[j] != want && !(math.IsNaN(want) && math.IsNaN(got64[j])) {
				t.Errorf("%v: float64 %v, want %v", dt, got64[j], want)
			}
			if w32 := float32(want); got32[j] != w32 && !(w32 != w32 && got32[j] != got32[j]) && dt != Float64 && dt != Int64 && dt != Uint64 {
				t.Errorf("%v: float32 %v, want %v", dt, got32[j], w32)
			}
		}
		if err := ConvertRow(make([]float64, 5), v, 4, 4); err == nil {
			t.Errorf("%v: span outside the view accepted", dt)
		}
	}
	if err := ConvertRow(make([]float64, 1), &Array{DType: Invalid, Rect: Rect(0, 0, 1, 1), Stride: 1, Data: make([]byte, 8)}, 0, 0); err == nil {
		t.Error("invalid dtype accepted")
	}
}

func elemAt(a *Array, r, c int) float64 {
	o := a.Offset(r, c)
	switch a.DType {
	case Int8:
		return float64(Elems[int8](a)[o])
	case Uint8:
		return float64(Elems[uint8](a)[o])
	case Int16:
		return float64(Elems[int16](a)[o])
	case Uint16:
		return float64(Elems[uint16](a)[o])
	case Int32:
		return float64(Elems[int32](a)[o])
	case Uint32:
		return float64(Elems[uint32](a)[o])
	case Int64:
		return float64(Elems[int64](a)[o])
	case Uint64:
		return float64(Elems[uint64](a)[o])
	case Float32:
		return float64(Elems[float32](a)[o])
	}
	return Elems[float64](a)[o]
}
