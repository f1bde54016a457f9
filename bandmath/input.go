package bandmath

import (
	"fmt"

	"chunkpipe/formats"
	"chunkpipe/kernels"
)

// ParamsOf gathers the kernel parameters of an open input: the file's
// scalar variables when the reader has them (ABI kappa0, planck_*,
// band_id), then the variable's attributes (scale_factor, add_offset,
// _FillValue, _Unsigned, valid_range), which win on a name clash. Numeric
// values keep all their numbers; text values are kept as text.
func ParamsOf(r formats.Reader) kernels.Params {
	p := kernels.Params{}
	add := func(a formats.Attrs) {
		for _, at := range a {
			if s, ok := at.Value.(string); ok {
				p.SetText(at.Name, s, kernels.SourceFile)
				continue
			}
			if fs, ok := (formats.Attrs{at}).Floats(at.Name); ok {
				p.SetFloats(at.Name, fs, kernels.SourceFile)
			}
		}
	}
	if s, ok := r.(formats.ScalarReader); ok {
		add(s.Scalars())
	}
	add(r.Info().Attrs)
	return p
}

// NewInput describes an open reader as an [Input]: named name, or when
// name is "" by its ABI band ([BandName], e.g. "c07"), with [ParamsOf]
// parameters. It fails when no name is given and none can be derived.
func NewInput(r formats.Reader, name string) (Input, error) {
	if r == nil {
		return Input{}, fmt.Errorf("bandmath: nil reader")
	}
	var scalars formats.Attrs
	if s, ok := r.(formats.ScalarReader); ok {
		scalars = s.Scalars()
	}
	if name == "" {
		n, ok := BandName(r.Info(), scalars)
		if !ok {
			return Input{}, fmt.Errorf("bandmath: %s has no ABI band_id and no _M6Cnn_ in its name; give the input a name", r.Info().Path)
		}
		name = n
	}
	if !ValidName(name) {
		return Input{}, fmt.Errorf("bandmath: input name %q is not a valid expression name", name)
	}
	return Input{Name: name, Reader: r, Params: ParamsOf(r)}, nil
}
