package geotiff

import (
	"math"

	"chunkpipe/chunk"
)

// halve2x2 averages 2x2 blocks of src (rows x cols pixels of spp
// interleaved samples, tightly packed) into dst (ceil(rows/2) x
// ceil(cols/2) pixels), each sample (band) on its own, with GDAL's AVERAGE semantics: NaN and
// nodata inputs are skipped, the last row or column of an odd size averages
// fewer inputs, an output with no valid input becomes nodata (or NaN for
// floats without nodata), and integer means are rounded half up.
func halve2x2(t chunk.DType, dst, src []byte, rows, cols, spp int, nodata float64, hasNodata bool) {
	switch t {
	case chunk.Int8:
		halve(view[uint8](dst), view[uint8](src), rows, cols, spp, nodata, hasNodata, func(v uint8) float64 { return float64(int8(v)) }, func(f float64) uint8 { return uint8(int8(f)) })
	case chunk.Uint8:
		halve(view[uint8](dst), view[uint8](src), rows, cols, spp, nodata, hasNodata, func(v uint8) float64 { return float64(v) }, func(f float64) uint8 { return uint8(f) })
	case chunk.Int16:
		halve(view[uint16](dst), view[uint16](src), rows, cols, spp, nodata, hasNodata, func(v uint16) float64 { return float64(int16(v)) }, func(f float64) uint16 { return uint16(int16(f)) })
	case chunk.Uint16:
		halve(view[uint16](dst), view[uint16](src), rows, cols, spp, nodata, hasNodata, func(v uint16) float64 { return float64(v) }, func(f float64) uint16 { return uint16(f) })
	case chunk.Int32:
		halve(view[uint32](dst), view[uint32](src), rows, cols, spp, nodata, hasNodata, func(v uint32) float64 { return float64(int32(v)) }, func(f float64) uint32 { return uint32(int32(f)) })
	case chunk.Uint32:
		halve(view[uint32](dst), view[uint32](src), rows, cols, spp, nodata, hasNodata, func(v uint32) float64 { return float64(v) }, func(f float64) uint32 { return uint32(f) })
	case chunk.Int64:
		halve(view[uint64](dst), view[uint64](src), rows, cols, spp, nodata, hasNodata, func(v uint64) float64 { return float64(int64(v)) }, func(f float64) uint64 { return uint64(int64(f)) })
	case chunk.Uint64:
		halve(view[uint64](dst), view[uint64](src), rows, cols, spp, nodata, hasNodata, func(v uint64) float64 { return float64(v) }, func(f float64) uint64 { return uint64(f) })
	case chunk.Float32:
		halve(view[uint32](dst), view[uint32](src), rows, cols, spp, nodata, hasNodata, func(v uint32) float64 { return float64(math.Float32frombits(v)) }, func(f float64) uint32 { return math.Float32bits(float32(f)) })
	case chunk.Float64:
		halve(view[uint64](dst), view[uint64](src), rows, cols, spp, nodata, hasNodata, math.Float64frombits, math.Float64bits)
	}
}

func halve[T uint8 | uint16 | uint32 | uint64](dst, src []T, rows, cols, spp int, nodata float64, hasNodata bool, get func(T) float64, put func(float64) T) {
	orows, ocols := (rows+1)/2, (cols+1)/2
	empty := math.NaN()
	if hasNodata {
		empty = nodata
	}
	isFloat := put(0.5) != put(0) // integer conversion truncates 0.5 to 0
	for i := 0; i < orows; i++ {
		for j := 0; j < ocols; j++ {
			for k := 0; k < spp; k++ {
				dst[(i*ocols+j)*spp+k] = put(halveOne(src, i, j, k, rows, cols, spp, empty, isFloat, nodata, hasNodata, get))
			}
		}
	}
}

// halveOne averages sample k of the up to 2x2 input pixels of output
// pixel (i, j), skipping NaN and nodata; empty when none is valid.
func halveOne[T uint8 | uint16 | uint32 | uint64](src []T, i, j, k, rows, cols, spp int, empty float64, isFloat bool, nodata float64, hasNodata bool, get func(T) float64) float64 {
	var sum float64
	n := 0
	for r := 2 * i; r < min(2*i+2, rows); r++ {
		for c := 2 * j; c < min(2*j+2, cols); c++ {
			v := get(src[(r*cols+c)*spp+k])
			if math.IsNaN(v) || (hasNodata && v == nodata) {
				continue
			}
			sum += v
			n++
		}
	}
	if n == 0 {
		return empty
	}
	out := sum / float64(n)
	if !isFloat {
		out = math.Floor(out + 0.5)
	}
	return out
}
