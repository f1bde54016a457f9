package plan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/remote"
	"chunkpipe/kernels"
)

// ExpandInputs expands glob patterns among args (local paths, or
// s3://bucket/prefix/*C07*.nc patterns over an S3 prefix), each pattern's
// matches sorted; a pattern that matches nothing is an error, a plain path is kept
// as it is.
func ExpandInputs(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if !strings.ContainsAny(a, "*?[") {
			out = append(out, a)
			continue
		}
		if formats.IsURL(a) {
			m, err := globURL(a)
			if err != nil {
				return nil, err
			}
			out = append(out, m...)
			continue
		}
		m, err := filepath.Glob(a)
		if err != nil {
			return nil, bad(fmt.Errorf("bad pattern %q: %v", a, err))
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("no file matches %q", a)
		}
		sort.Strings(m)
		out = append(out, m...)
	}
	return out, nil
}

// OutputName fills a batch output pattern for one input: {stem} is the file
// name without its extension, {name} the file name, {dir} its directory and
// {band} its ABI band (c07), or the stem when it has none.
func OutputName(pattern, input, band string) string {
	base := filepath.Base(input)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	if band == "" {
		band = stem
	}
	return strings.NewReplacer("{stem}", stem, "{name}", base, "{dir}", filepath.Dir(input), "{band}", band).Replace(pattern)
}

// isPattern reports whether an output names a batch pattern.
func isPattern(output string) bool { return strings.Contains(output, "{") }

// Open opens path as o says; a missing file is an error naming it.
func Open(path string, o InputOptions) (formats.Reader, error) {
	opts := formats.OpenOptions{Variable: o.Variable, Raw: o.Raw, Context: o.Context}
	if o.MaskDQF {
		opts.Mask, opts.MaskMax = "DQF", int64(o.MaskMax)
	}
	if _, _, ok := formats.SplitRawPath(path); !ok && opts.Raw.DType == chunk.Invalid && !formats.IsURL(path) {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("input %s: %w", path, errors.Unwrap(err))
		}
	}
	return formats.Open(path, opts)
}

// ReadParams gathers kernel parameters: the named preset (see
// [kernels.Preset]; "" for none), the file's scalar variables (ABI
// calibration constants), the variable's attributes, then the overrides,
// each replacing the ones before. A nil r gives the preset and overrides
// alone (the kernels after a band-math expression, whose values come from
// no one file).
func ReadParams(r formats.Reader, preset string, overrides []string) (kernels.Params, error) {
	p, err := kernels.Preset(preset)
	if err != nil {
		return nil, bad(err)
	}
	add := func(a formats.Attrs) {
		for _, at := range a {
			switch v := at.Value.(type) {
			case string:
				p.SetText(at.Name, v, kernels.SourceFile)
			default:
				if fs, ok := (formats.Attrs{at}).Floats(at.Name); ok {
					p.SetFloats(at.Name, fs, kernels.SourceFile)
				}
			}
		}
	}
	if s, ok := r.(formats.ScalarReader); ok {
		add(s.Scalars())
	}
	if r != nil {
		add(r.Info().Attrs)
	}
	for _, kv := range overrides {
		if err := p.Set(kv, kernels.SourceFlag); err != nil {
			return nil, bad(err)
		}
	}
	return p, nil
}

// inputName names an input in messages: the file, and the variable if any.
func inputName(info formats.Info) string {
	if info.Variable == "" {
		return info.Path
	}
	return info.Path + ":" + strings.TrimPrefix(info.Variable, "/")
}

// sameFile reports whether a and b name the same existing file.
func sameFile(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}

// CheckTarget checks that a file the run will write (an output, a trace,
// a profile) may be written: its directory exists, it does not exist
// unless overwrite, and it is none of the inputs, even with overwrite.
// Inputs given as PATH:DTYPE:ROWSxCOLS are compared by their path.
func CheckTarget(path string, overwrite bool, inputs ...string) error {
	for _, in := range inputs {
		if p, _, ok := formats.SplitRawPath(in); ok {
			in = p
		}
		if sameFile(path, in) {
			return fmt.Errorf("%s is an input of the run; refusing to overwrite it", path)
		}
	}
	return formats.CheckTarget(path, overwrite)
}

// globURL expands a pattern over an S3 prefix into the matching objects'
// URLs, sorted; matching nothing is an error.
func globURL(pattern string) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	m, err := remote.Glob(ctx, pattern)
	if err != nil {
		return nil, bad(err)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("no object matches %q", pattern)
	}
	return m, nil
}
