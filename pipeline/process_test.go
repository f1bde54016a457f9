package pipeline

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

// processCases holds, for every registered kernel and reducer, chains that
// give it arguments other than its defaults. TestProcessesMatchFree fails
// when a registered name has no case here, so a new kernel cannot escape
// the processes-mode check.
var processCases = map[string][]string{
	"calibrate":   {"calibrate", "calibrate,noop"},
	"reflectance": {"calibrate,reflectance"},
	"bt":          {"calibrate,bt"},
	"abi":         {"calibrate,abi"},
	"blur":        {"calibrate,blur:5:nearest", "calibrate,blur:3:constant:7.5", "calibrate,blur:7:none", "calibrate,blur:9"},
	"median":      {"calibrate,median:5", "calibrate,median:5:nearest", "calibrate,median:3:constant:-2", "calibrate,median:7:none"},
	"coarsen":     {"calibrate,coarsen:3", "calibrate,coarsen:2,median:3:nearest", "coarsen:4"},
	"noop":        {"noop"},
	"primes":      {"primes"},
	"sleep":       {"calibrate,sleep:1"},
	"stats":       {"calibrate,blur:3:nearest,stats", "stats"},
	"histogram":   {"calibrate,histogram:64:30:150", "calibrate,median:3,histogram:7:-5:250"},
}

// processParams are parameters that differ from every built-in default, as
// attributes read from a file or --param overrides would, so that a worker
// process that fell back to defaults would compute other bits.
func processParams() kernels.Params {
	p := kernels.Params{}
	p.SetFloat("scale_factor", 0.0517, kernels.SourceFlag)
	p.SetFloat("add_offset", -3.25, kernels.SourceFile)
	p.SetFloat("_FillValue", 1023, kernels.SourceFile)
	p.SetFloats("valid_range", []float64{0, 2900}, kernels.SourceFlag)
	p.SetFloat("kappa0", 0.0021, kernels.SourceFile)
	p.SetFloat("planck_fk1", 2.0e5, kernels.SourceFile)
	p.SetFloat("planck_fk2", 3600.5, kernels.SourceFile)
	p.SetFloat("planck_bc1", 0.31, kernels.SourceFile)
	p.SetFloat("planck_bc2", 0.9991, kernels.SourceFile)
	return p
}

// stridedSource returns a source over a copy of in placed inside a wider
// array, so that the views it lends have a row stride larger than their
// width, as views of a memory-mapped file do.
func stridedSource(in *chunk.Array, pad int) *viewingSource {
	wide := chunk.NewArray(in.DType, chunk.Rect(in.Rect.Row0, in.Rect.Col0, in.Rect.Row1, in.Rect.Col1+pad))
	for i := range wide.Data {
		wide.Data[i] = 0x5a // garbage that must never reach a kernel
	}
	inner := wide.Sub(in.Rect)
	inner.CopyFrom(in)
	return &viewingSource{a: inner, out: map[chunk.Region]int{}}
}

// Every registered kernel, with arguments and parameters other than its
// defaults, gives the same bytes in worker processes as in free mode, from
// a source that lends strided views and from one that copies.
func TestProcessesMatchFree(t *testing.T) {
	for _, d := range kernels.Catalog() {
		if len(processCases[d.Name]) == 0 {
			t.Errorf("kernel %q has no processes-mode case", d.Name)
		}
	}
	rng := rand.New(rand.NewPCG(16, 16))
	shape := chunk.Shape{Rows: 97, Cols: 131}
	in := granule(rng, shape)
	params := processParams()
	for _, chains := range processCases {
		for _, text := range chains {
			chain, err := kernels.ParseChain(text, params)
			if err != nil {
				t.Fatalf("%s: %v", text, err)
			}
			grid, err := chunk.Spec{Kind: chunk.SpecShape, Rows: 24, Cols: 36}.Resolve(chunk.Layout{Shape: shape, Multiple: chain.Factor()})
			if err != nil {
				t.Fatal(err)
			}
			run := func(mode LockMode, src Source) ([]byte, *kernels.Result) {
				job := Job{Input: "mem", Source: src, Shape: shape, DType: chunk.Int16, Chain: chain, Params: params, Grid: grid}
				var sink *memSink
				if chain.Reducer() == nil {
					sink = newMemSink(chain.OutDType(chunk.Int16), chain.OutputShape(shape))
					job.Sink = sink
				}
				rep, err := Run(context.Background(), job, procConfig(Config{Workers: 2, Lock: mode}))
				if err != nil {
					t.Fatalf("%s %v: %v", text, mode, err)
				}
				if sink == nil {
					return nil, rep.Result
				}
				return sink.a.Data, nil
			}
			want, wantRes := run(Free, &memSource{a: in})
			for _, src := range []Source{&memSource{a: in}, stridedSource(in, 7)} {
				got, gotRes := run(Processes, src)
				if string(got) != string(want) {
					t.Errorf("%s: processes output differs from free (%T)", text, src)
				}
				if wantRes != nil && formatValues(gotRes) != formatValues(wantRes) {
					t.Errorf("%s: processes result %s, free %s", text, formatValues(gotRes), formatValues(wantRes))
				}
			}
		}
	}
}

// formatValues renders a reduction's result bit-exactly for comparison.
func formatValues(r *kernels.Result) string {
	if r == nil {
		return "<nil>"
	}
	s := r.Name
	for _, f := range r.Fields {
		s += " " + f + "=" + strconv.FormatUint(math.Float64bits(r.Values[f]), 16)
	}
	for _, c := range r.Counts {
		s += " " + strconv.FormatInt(int64(c), 10)
	}
	return s
}
