package plan

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/kernels"
)

// output describes what a job writes, before its writer is created.
type output struct {
	path     string
	info     formats.Info // the input (for band math: the target grid's input)
	shape    chunk.Shape  // the input's shape the chain runs over
	inType   chunk.DType
	chain    *kernels.Chain
	grid     chunk.Grid
	variable string
	quantity kernels.Quantity // what the chain's input is
	keep     bool             // an unchanged copy: keep the input's attributes as they are
	history  string
	// bandNames name the bands of a multi-band output (nil: one band).
	bandNames []string
}

// spec returns the writer's [formats.CreateSpec].
func (o output) spec(r *Request) formats.CreateSpec {
	f := o.chain.Factor()
	outType := o.chain.OutDType(o.inType)
	src := o.info
	return formats.CreateSpec{
		Path: o.path, Shape: o.chain.OutputShape(o.shape), DType: outType,
		Chunk:    chunk.Shape{Rows: o.grid.Chunk.Rows / f, Cols: o.grid.Chunk.Cols / f},
		Variable: o.variable, Attrs: o.attrs(outType),
		Global: formats.Attrs{{Name: "history", Value: fmt.Sprintf("%s %s", time.Now().UTC().Format(time.RFC3339), o.history)}},
		Source: &src, Factor: f, Options: writerOptions(r.WriterOptions, o.path), Overwrite: r.Overwrite,
		Bands: len(o.bandNames), BandNames: o.bandNames,
	}
}

// attrs describes the output's values: units, long_name and standard_name
// of the quantity the chain makes of its input (see [kernels.Describer]),
// and a NaN fill value for floating-point results. An unchanged copy keeps
// the input's attributes as they are.
func (o output) attrs(outType chunk.DType) formats.Attrs {
	if o.keep {
		return append(formats.Attrs(nil), o.info.Attrs...)
	}
	q := o.chain.DescribeOutput(o.quantity)
	var a formats.Attrs
	if q.LongName != "" {
		a = a.Set("long_name", q.LongName)
	}
	if q.StandardName != "" {
		a = a.Set("standard_name", q.StandardName)
	}
	if q.Units != "" {
		a = a.Set("units", q.Units)
	}
	if outType.IsFloat() {
		a = a.Set("_FillValue", math.NaN())
	}
	return a
}

// quantityOf reads what an input's values are from its attributes.
func quantityOf(info formats.Info) kernels.Quantity {
	var q kernels.Quantity
	q.Units, _ = info.Attrs.String("units")
	q.LongName, _ = info.Attrs.String("long_name")
	q.StandardName, _ = info.Attrs.String("standard_name")
	q.LongName = strings.TrimSpace(q.LongName)
	return q
}

// variableName names the output variable after the input variable (its
// last path element; "band:3" becomes "band_3"), or "data" when the input
// has none.
func variableName(info formats.Info) string {
	v := info.Variable
	v = v[strings.LastIndex(v, "/")+1:]
	v = strings.ReplaceAll(v, ":", "_")
	if v == "" {
		return "data"
	}
	return v
}

// writerOptions copies the writer options; PNG quicklooks default to the
// automatic colormap (a perceptual one for brightness temperatures).
func writerOptions(in map[string]string, path string) map[string]string {
	opts := map[string]string{}
	for k, v := range in {
		opts[k] = v
	}
	if strings.EqualFold(filepath.Ext(path), ".png") && opts["colormap"] == "" {
		opts["colormap"] = "auto"
	}
	return opts
}

// ParseWriterOptions parses KEY=VALUE pairs into writer options.
func ParseWriterOptions(pairs []string) (map[string]string, error) {
	opts := map[string]string{}
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, bad(fmt.Errorf("--opt %q: want KEY=VALUE", kv))
		}
		opts[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return opts, nil
}

// resultJSON is a reduction's result as JSON: NaN and infinities, which
// JSON cannot hold, become null.
func resultJSON(r *kernels.Result) map[string]any {
	vals := map[string]any{}
	for k, v := range r.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			vals[k] = nil
		} else {
			vals[k] = v
		}
	}
	out := map[string]any{"name": r.Name, "values": vals}
	if r.Edges != nil {
		out["edges"], out["counts"] = r.Edges, r.Counts
	}
	return out
}

// WriteResult writes a reduction's result as indented JSON to path,
// atomically.
func WriteResult(path string, overwrite bool, r *kernels.Result) error {
	af, err := formats.CreateAtomic(path, overwrite)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(af)
	enc.SetIndent("", "  ")
	if err := enc.Encode(resultJSON(r)); err != nil {
		af.Abort()
		return err
	}
	return af.Commit()
}
