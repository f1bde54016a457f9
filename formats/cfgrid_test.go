package formats

import (
	"errors"
	"testing"

	"chunkpipe/chunk"
)

type fakeCFGrid struct{ name string }

func (f fakeCFGrid) CFGridVars(chunk.Shape, int) (*CFGridVars, error) {
	return &CFGridVars{Mapping: &CFVar{Name: f.name}}, nil
}

type convertible struct{ err error }

// CFGridOf returns a Geo that is a CFGrid as it is, else the registered
// converter's result or error, else nothing.
func TestCFGridOf(t *testing.T) {
	RegisterCFGridFunc(func(src *Info) (CFGrid, error) {
		c, ok := src.Geo.(convertible)
		if !ok {
			return nil, nil
		}
		if c.err != nil {
			return nil, c.err
		}
		return fakeCFGrid{"converted"}, nil
	})
	if g, err := CFGridOf(&Info{Geo: fakeCFGrid{"own"}}); err != nil || g.(fakeCFGrid).name != "own" {
		t.Errorf("own CFGrid: %v, %v", g, err)
	}
	if g, err := CFGridOf(&Info{Geo: convertible{}}); err != nil || g == nil || g.(fakeCFGrid).name != "converted" {
		t.Errorf("converted: %v, %v", g, err)
	}
	boom := errors.New("boom")
	if _, err := CFGridOf(&Info{Geo: convertible{err: boom}}); !errors.Is(err, boom) {
		t.Errorf("converter error: %v", err)
	}
	for _, src := range []*Info{nil, {}, {Geo: 42}} {
		if g, err := CFGridOf(src); g != nil || err != nil {
			t.Errorf("CFGridOf(%+v) = %v, %v, want nothing", src, g, err)
		}
	}
}
