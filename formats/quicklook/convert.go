package quicklook

import (
	"fmt"

	"chunkpipe/chunk"
)

// Float64Row converts global row row of a, whatever its DType, to float64
// and returns it in dst (grown when too short). Integer values of up to 53
// bits and all float values convert exactly. It panics when row is outside
// a.Rect or a.DType is not a valid element type, since both are programming
// errors; [Writer.WriteRegion] checks the type first.
func Float64Row(dst []float64, a *chunk.Array, row int) []float64 {
	if row < a.Rect.Row0 || row >= a.Rect.Row1 {
		panic(fmt.Sprintf("quicklook: row %d outside %v", row, a.Rect))
	}
	n := a.Rect.Cols()
	if cap(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	if n == 0 {
		return dst
	}
	if err := chunk.ConvertRow(dst, a, row, a.Rect.Col0); err != nil {
		panic(fmt.Sprintf("quicklook: %v", err))
	}
	return dst
}

// checkDType returns an error for element types Float64Row cannot convert.
func checkDType(t chunk.DType) error {
	if t == chunk.Invalid || t.Size() == 0 {
		return fmt.Errorf("quicklook: cannot display %v elements", t)
	}
	return nil
}
