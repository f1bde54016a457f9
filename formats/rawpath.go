package formats

import (
	"strings"

	"chunkpipe/chunk"
)

// SplitRawPath recognises the inline raw form "PATH:DTYPE:ROWSxCOLS" with an
// optional ":big" or ":little" suffix, e.g. "scan.raw:int16:10848x10848".
func SplitRawPath(s string) (path string, spec RawSpec, ok bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 3 {
		return s, RawSpec{}, false
	}
	order := ""
	if last := strings.ToLower(parts[len(parts)-1]); last == "big" || last == "little" {
		order = last
		parts = parts[:len(parts)-1]
	}
	if len(parts) < 3 {
		return s, RawSpec{}, false
	}
	n := len(parts)
	dt, err := chunk.ParseDType(parts[n-2])
	if err != nil {
		return s, RawSpec{}, false
	}
	shape, err := ParseShape(parts[n-1])
	if err != nil {
		return s, RawSpec{}, false
	}
	return strings.Join(parts[:n-2], ":"), RawSpec{DType: dt, Shape: shape, BigEndian: order == "big"}, true
}

// ParseShape parses "ROWSxCOLS" (or a single N for NxN).
func ParseShape(s string) (chunk.Shape, error) {
	sp, err := chunk.ParseSpec(s)
	if err != nil || sp.Kind != chunk.SpecShape || sp.Rows <= 0 || sp.Cols <= 0 {
		return chunk.Shape{}, &shapeError{s}
	}
	return chunk.Shape{Rows: sp.Rows, Cols: sp.Cols}, nil
}

type shapeError struct{ s string }

func (e *shapeError) Error() string {
	return "formats: bad shape " + e.s + " (want ROWSxCOLS, e.g. 10848x10848)"
}
