package plan_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/plan"
)

// build plans req or fails the test.
func build(t *testing.T, req plan.Request) *plan.Plan {
	t.Helper()
	p, err := plan.Build(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// run plans and runs req, failing the test on any error.
func run(t *testing.T, req plan.Request) *plan.Plan {
	t.Helper()
	p := build(t, req)
	if _, err := p.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	for _, j := range p.Jobs {
		if j.Err != nil {
			t.Fatalf("%s: %v", j.Path, j.Err)
		}
	}
	return p
}

// withoutHistory drops the history attribute (it holds the time of the run).
func withoutHistory(a formats.Attrs) formats.Attrs {
	var out formats.Attrs
	for _, at := range a {
		if at.Name != "history" {
			out = append(out, at)
		}
	}
	return out
}

// A single run and a batch of one plan the same job and write the same
// output: same grid, chain, parameters, variable, attributes and values.
func TestSingleAndBatchOfOneAgree(t *testing.T) {
	in := granule(t, filepath.Join(t.TempDir(), "scan.nc"), chunk.Shape{Rows: 300, Cols: 200})
	one, many := mkdir(t, "one"), mkdir(t, "many")
	base := plan.Request{Inputs: []string{in}, Kernels: "calibrate,bt", Engine: plan.Engine{Workers: 2}}
	single, batch := base, base
	single.Output = filepath.Join(one, "scan.nc")
	batch.Output = filepath.Join(many, "{stem}.nc")
	ps, pb := run(t, single), run(t, batch)
	if ps.Batch || !pb.Batch || len(ps.Jobs) != 1 || len(pb.Jobs) != 1 {
		t.Fatalf("single run: batch %v, %d jobs; batch of one: batch %v, %d jobs", ps.Batch, len(ps.Jobs), pb.Batch, len(pb.Jobs))
	}
	js, jb := ps.Jobs[0], pb.Jobs[0]
	if js.Grid != jb.Grid || js.Chain.String() != jb.Chain.String() || js.Input != jb.Input || js.Shape != jb.Shape || js.DType != jb.DType {
		t.Errorf("jobs differ: single %v %q %s; batch %v %q %s", js.Grid, js.Chain, js.Input, jb.Grid, jb.Chain, jb.Input)
	}
	if !reflect.DeepEqual(js.Params, jb.Params) {
		t.Errorf("parameters differ:\nsingle %v\nbatch  %v", js.Params, jb.Params)
	}
	if jb.Output != filepath.Join(many, "scan.nc") {
		t.Errorf("batch output %s, want %s", jb.Output, filepath.Join(many, "scan.nc"))
	}
	if ps.Config.Workers != pb.Config.Workers || ps.Config.WriteWorkers != pb.Config.WriteWorkers || ps.Config.InFlight != pb.Config.InFlight {
		t.Errorf("configs differ: %+v vs %+v", ps.Config, pb.Config)
	}
	is, ib := openInfo(t, js.Output), openInfo(t, jb.Output)
	if is.Variable != ib.Variable || fmt.Sprint(withoutHistory(is.Attrs)) != fmt.Sprint(withoutHistory(ib.Attrs)) {
		t.Errorf("outputs describe themselves differently:\nsingle %s %v\nbatch  %s %v", is.Variable, is.Attrs, ib.Variable, ib.Attrs)
	}
	if !bytes.Equal(arrayBytes(t, js.Output), arrayBytes(t, jb.Output)) {
		t.Error("single run and batch of one wrote different values")
	}
}

// openInfo returns the description of path's default variable.
func openInfo(t *testing.T, path string) formats.Info {
	t.Helper()
	r, err := formats.Open(path, formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	return r.Info()
}

// The output variable is named after the input variable, and its units
// and long_name are the chain's: K for bt, "1" for reflectance, the
// input's units for calibrate alone.
func TestOutputDescribedByChain(t *testing.T) {
	in := granule(t, filepath.Join(t.TempDir(), "scan.nc"), chunk.Shape{Rows: 64, Cols: 96})
	for _, c := range []struct {
		kernels string
		params  []string
		units   string
		long    string
	}{
		{"calibrate", nil, "mW m-2 sr-1 (cm-1)-1", "ABI L1b Radiances"},
		{"calibrate,bt", nil, "K", "brightness temperature"},
		{"calibrate,reflectance", []string{"kappa0=0.0019"}, "1", "reflectance factor"},
		{"calibrate,abi", []string{"kappa0=0.0019"}, "1", "reflectance factor"},
		{"calibrate,bt,blur:3", nil, "K", "brightness temperature"},
	} {
		t.Run(c.kernels, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.nc")
			run(t, plan.Request{Inputs: []string{in}, Output: out, Kernels: c.kernels, Params: c.params})
			info := openInfo(t, out)
			if info.Variable != "Rad" {
				t.Errorf("output variable %q, want Rad (the input's)", info.Variable)
			}
			units, _ := info.Attrs.String("units")
			long, _ := info.Attrs.String("long_name")
			if units != c.units || long != c.long {
				t.Errorf("units %q long_name %q, want %q %q", units, long, c.units, c.long)
			}
		})
	}
}

// Band math and single runs read parameters the same way, overrides
// included: calibrate(a) over one named input equals -k calibrate.
func TestBandMathSharesParameters(t *testing.T) {
	in := granule(t, filepath.Join(t.TempDir(), "scan.nc"), chunk.Shape{Rows: 128, Cols: 80})
	dir := mkdir(t, "out")
	params := []string{"scale_factor=0.5", "add_offset=-3"}
	single := run(t, plan.Request{Inputs: []string{in}, Output: filepath.Join(dir, "single.npy"), Kernels: "calibrate", Params: params})
	bands := run(t, plan.Request{Bands: []plan.Band{{Name: "a", Path: in}}, Expr: "calibrate(a)", Output: filepath.Join(dir, "bands.npy"), Params: params})
	if single.Jobs[0].Grid != bands.Jobs[0].Grid {
		t.Errorf("grids differ: single %v, band math %v", single.Jobs[0].Grid, bands.Jobs[0].Grid)
	}
	if !bytes.Equal(arrayBytes(t, single.Jobs[0].Output), arrayBytes(t, bands.Jobs[0].Output)) {
		t.Error("band math calibrate(a) differs from -k calibrate with the same overrides")
	}
}

// bt takes its Planck constants from the file, --param or --preset and
// has no defaults: on a file without them (an .npy granule) a run and a
// band-math chain are refused with an error naming the file and the
// constants; with --preset anchors the .npy gives the bits of the NetCDF
// granule that carries them as attributes, and the kernels after an
// expression take them from --param.
func TestBTNeedsPlanckConstants(t *testing.T) {
	dir := t.TempDir()
	shape := chunk.Shape{Rows: 64, Cols: 48}
	bare := granule(t, filepath.Join(dir, "scan.npy"), shape)
	carried := granule(t, filepath.Join(dir, "scan.nc"), shape)
	out := mkdir(t, "out")
	planck := []string{"planck_fk1=13432.1", "planck_fk2=1497.61", "planck_bc1=0.09102", "planck_bc2=0.99971"}
	cf := []string{"scale_factor=0.04572892", "add_offset=-1.6443053", "_FillValue=-1"}
	for name, req := range map[string]plan.Request{
		"run":       {Inputs: []string{bare}, Output: filepath.Join(out, "bt.npy"), Kernels: "calibrate,bt", Params: cf},
		"band math": {Bands: []plan.Band{{Name: "a", Path: carried}}, Expr: "calibrate(a)", Kernels: "bt", Output: filepath.Join(out, "bt.npy")},
	} {
		_, err := plan.Build(req)
		var re *plan.RequestError
		if !errors.As(err, &re) {
			t.Fatalf("%s without Planck constants: error %v (%T), want a *plan.RequestError", name, err, err)
		}
		for _, want := range []string{"planck_fk1, planck_fk2, planck_bc1, planck_bc2", "--param planck_fk1=", "--preset anchors"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q lacks %q", name, err, want)
			}
		}
		if name == "run" && !strings.Contains(err.Error(), bare) {
			t.Errorf("run: error %q does not name the input %s", err, bare)
		}
	}
	fromFile := run(t, plan.Request{Inputs: []string{carried}, Output: filepath.Join(out, "file.npy"), Kernels: "calibrate,bt"})
	fromPreset := run(t, plan.Request{Inputs: []string{bare}, Output: filepath.Join(out, "preset.npy"), Kernels: "calibrate,bt", Preset: "anchors"})
	fromFlags := run(t, plan.Request{Inputs: []string{bare}, Output: filepath.Join(out, "flags.npy"), Kernels: "calibrate,bt", Params: append(cf, planck...)})
	bands := run(t, plan.Request{Bands: []plan.Band{{Name: "a", Path: carried}}, Expr: "calibrate(a)", Kernels: "bt", Params: planck,
		Output: filepath.Join(out, "bands.npy")})
	want := arrayBytes(t, fromFile.Jobs[0].Output)
	for name, p := range map[string]*plan.Plan{"--preset anchors": fromPreset, "--param": fromFlags, "band math with --param": bands} {
		if !bytes.Equal(arrayBytes(t, p.Jobs[0].Output), want) {
			t.Errorf("bt with the constants from %s differs from bt with the file's", name)
		}
	}
}

// A batch whose run cannot start (a memory limit no chunk fits) returns
// the error, aborts every writer and leaves nothing in the output
// directory (fault 7: it dereferenced nil).
func TestBatchThatCannotStartAbortsWriters(t *testing.T) {
	src := mkdir(t, "in")
	a := granule(t, filepath.Join(src, "a.nc"), chunk.Shape{Rows: 256, Cols: 256})
	b := granule(t, filepath.Join(src, "b.nc"), chunk.Shape{Rows: 256, Cols: 256})
	for _, out := range []string{"{stem}.npy", "{stem}.tif", "{stem}.zarr", "{stem}.nc"} {
		dir := mkdir(t, "out"+filepath.Ext(out))
		p := build(t, plan.Request{Inputs: []string{a, b}, Output: filepath.Join(dir, out), Kernels: "calibrate",
			Engine: plan.Engine{MemLimit: 1 << 10}})
		rep, err := p.Run(context.Background(), nil)
		if err == nil || !strings.Contains(err.Error(), "mem-limit") {
			t.Fatalf("%s: run under a 1KiB limit: report %v, error %v; want the memory error", out, rep, err)
		}
		p.Close()
		if got := names(t, dir); len(got) != 0 {
			t.Errorf("%s: files left behind: %v", out, got)
		}
	}
}

// A failed job of a batch has its writer aborted and its error recorded;
// the other job is committed.
func TestBatchFailedJobAborted(t *testing.T) {
	src := mkdir(t, "in")
	good := granule(t, filepath.Join(src, "good.nc"), chunk.Shape{Rows: 64, Cols: 64})
	dir := mkdir(t, "out")
	p := build(t, plan.Request{Inputs: []string{good, filepath.Join(src, "missing.nc")}, Output: filepath.Join(dir, "{stem}.npy"), Kernels: "calibrate"})
	if _, err := p.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if f := p.Failed(); len(f) != 1 || !strings.Contains(f[0].Err.Error(), "missing.nc") {
		t.Fatalf("failed jobs %v, want missing.nc's", f)
	}
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"good.npy"}) {
		t.Errorf("output directory holds %v, want [good.npy]", got)
	}
}

// An output may not be an input, even with Overwrite.
func TestOutputNeverAnInput(t *testing.T) {
	in := granule(t, filepath.Join(t.TempDir(), "scan.npy"), chunk.Shape{Rows: 32, Cols: 32})
	_, err := plan.Build(plan.Request{Inputs: []string{in}, Output: in, Kernels: "calibrate", Overwrite: true})
	if err == nil || !strings.Contains(err.Error(), "is an input") {
		t.Fatalf("output onto the input: error %v, want a refusal", err)
	}
}

// A request error is a *RequestError, so that commands report it as usage.
func TestRequestErrors(t *testing.T) {
	in := granule(t, filepath.Join(t.TempDir(), "scan.npy"), chunk.Shape{Rows: 32, Cols: 32})
	for name, req := range map[string]plan.Request{
		"no input":      {Output: "x.npy"},
		"bad kernel":    {Inputs: []string{in}, Output: filepath.Join(t.TempDir(), "o.npy"), Kernels: "frobnicate"},
		"no output":     {Inputs: []string{in}, Kernels: "calibrate"},
		"batch pattern": {Inputs: []string{in, in}, Output: filepath.Join(t.TempDir(), "o.npy")},
		"band alone":    {Bands: []plan.Band{{Name: "a", Path: in}}, Output: "o.npy"},
	} {
		_, err := plan.Build(req)
		var re *plan.RequestError
		if !errors.As(err, &re) {
			t.Errorf("%s: error %v (%T), want a *plan.RequestError", name, err, err)
		}
	}
}
