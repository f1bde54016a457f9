package netcdf3_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/netcdf3"
)

const fixtureDir = "../../testdata/netcdf3"

type manifestAttr struct {
	Name  string
	DType string
	Value json.RawMessage
}

type manifestFile struct {
	File    string
	Version int
	Dims    []struct {
		Name      string
		Size      int
		Unlimited bool
	}
	Global []manifestAttr
	Vars   []struct {
		Name  string
		Dims  []string
		DType string
		Shape []int
		Attrs []manifestAttr
	}
}

func loadManifest(t *testing.T) []manifestFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m []manifestFile
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m) < 6 {
		t.Fatalf("manifest lists %d files, want 6", len(m))
	}
	return m
}

// expectedValue converts a manifest attribute to the value formats.Attrs
// should hold: a string, int64, float64 or a slice of them.
func expectedValue(t *testing.T, a manifestAttr) any {
	t.Helper()
	if a.DType == "char" {
		var s string
		if err := json.Unmarshal(a.Value, &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	d := json.NewDecoder(bytes.NewReader(a.Value))
	d.UseNumber()
	var raw []any
	if err := d.Decode(&raw); err != nil {
		t.Fatal(err)
	}
	isFloat := strings.Contains(a.DType, "f")
	var ints []int64
	var floats []float64
	for _, x := range raw {
		switch v := x.(type) {
		case string: // "nan", "inf", "-inf"
			f := map[string]float64{"nan": math.NaN(), "inf": math.Inf(1), "-inf": math.Inf(-1)}[v]
			floats = append(floats, f)
		case json.Number:
			if isFloat {
				f, _ := v.Float64()
				floats = append(floats, f)
			} else {
				i, err := v.Int64()
				if err != nil {
					t.Fatalf("attribute %s: %v", a.Name, err)
				}
				ints = append(ints, i)
			}
		}
	}
	switch {
	case isFloat && len(floats) == 1:
		return floats[0]
	case isFloat:
		return floats
	case len(ints) == 1:
		return ints[0]
	}
	return ints
}

// sameValue compares attribute values, NaN equal to NaN.
func sameValue(got, want any) bool {
	norm := func(v any) any {
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) {
				return "NaN"
			}
		case []float64:
			out := make([]any, len(x))
			for i, f := range x {
				out[i] = f
				if math.IsNaN(f) {
					out[i] = "NaN"
				}
			}
			return out
		}
		return v
	}
	return reflect.DeepEqual(norm(got), norm(want))
}

func checkAttrs(t *testing.T, what string, got formats.Attrs, want []manifestAttr) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d attributes, want %d", what, len(got), len(want))
	}
	for i, w := range want {
		if i >= len(got) {
			break
		}
		exp := expectedValue(t, w)
		if got[i].Name != w.Name || !sameValue(got[i].Value, exp) {
			t.Errorf("%s: attribute %d = %s: %#v, want %s: %#v", what, i, got[i].Name, got[i].Value, w.Name, exp)
		}
	}
}

// TestFixtures reads every 2-D variable of the files netCDF4-python wrote
// and compares values, attributes, dimensions and coordinates with what
// the script recorded.
func TestFixtures(t *testing.T) {
	for _, mf := range loadManifest(t) {
		t.Run(mf.File, func(t *testing.T) {
			path := filepath.Join(fixtureDir, mf.File)
			stem := strings.TrimSuffix(mf.File, ".nc")
			read := 0
			for _, mv := range mf.Vars {
				npy, err := readNpy(filepath.Join(fixtureDir, stem+"."+mv.Name+".npy"))
				if err != nil || len(mv.Dims) < 2 {
					continue // no values recorded, or a coordinate (checked below)
				}
				read++
				r, err := netcdf3.Open(path, formats.OpenOptions{Variable: mv.Name})
				if err != nil {
					t.Fatalf("Open %s: %v", mv.Name, err)
				}
				info := r.Info()
				if int(r.Version()) != mf.Version {
					t.Errorf("version %v, want %d", r.Version(), mf.Version)
				}
				rows, cols := npy.shape[len(npy.shape)-2], npy.shape[len(npy.shape)-1]
				if info.Shape != (chunk.Shape{Rows: rows, Cols: cols}) || info.DType != npy.dtype {
					t.Errorf("%s: %v %v, want %dx%d %v", mv.Name, info.Shape, info.DType, rows, cols, npy.dtype)
				}
				if !reflect.DeepEqual(info.Dims, mv.Dims) {
					t.Errorf("%s: dims %v, want %v", mv.Name, info.Dims, mv.Dims)
				}
				checkAttrs(t, mv.Name, info.Attrs, mv.Attrs)
				checkAttrs(t, "global", info.Global, mf.Global)
				want := npy.hostBytes()
				equalBits(t, mv.Name, readAll(t, r).Data, want, npy.dtype.Size())
				// Every single-row, single-column and interior region.
				sz := npy.dtype.Size()
				for _, rg := range []chunk.Region{chunk.Rect(0, 0, 1, cols), chunk.Rect(rows-1, 0, rows, cols), chunk.Rect(0, cols-1, rows, cols),
					chunk.Rect(1, 1, rows-1, cols-1), chunk.Rect(rows/2, 0, rows, cols/2), {}} {
					if rg.Row0 > rg.Row1 || rg.Col0 > rg.Col1 {
						continue // the interior of a one-row array
					}
					a := chunk.NewArray(info.DType, rg)
					if err := r.ReadRegion(context.Background(), rg, a); err != nil {
						t.Fatalf("%s: ReadRegion %v: %v", mv.Name, rg, err)
					}
					for row := rg.Row0; row < rg.Row1; row++ {
						o := (row*cols + rg.Col0) * sz
						equalBits(t, mv.Name+" "+rg.String(), a.RowBytes(row), want[o:o+rg.Cols()*sz], sz)
					}
				}
				checkCoords(t, stem, r, mv.Dims)
				r.Close()
			}
			if read == 0 {
				t.Fatal("no variable read")
			}
		})
	}
}

// checkCoords compares the coordinate variables the reader found with the
// values recorded for them.
func checkCoords(t *testing.T, stem string, r *netcdf3.Reader, dims []string) {
	t.Helper()
	c, _ := r.Info().Geo.(*netcdf3.Coords)
	for i := range 2 {
		dimName := dims[len(dims)-2+i]
		npy, err := readNpy(filepath.Join(fixtureDir, stem+"."+dimName+".npy"))
		var got *netcdf3.Var
		if c != nil {
			got = []*netcdf3.Var{c.Y, c.X}[i]
		}
		if err != nil {
			if got != nil {
				t.Errorf("coordinate %s found, none recorded", dimName)
			}
			continue
		}
		if got == nil {
			t.Errorf("coordinate %s missing", dimName)
			continue
		}
		if got.Name != dimName || !reflect.DeepEqual(got.Values, npy.float64s()) {
			t.Errorf("coordinate %s: %s %v, want %v", dimName, got.Name, got.Values, npy.float64s())
		}
	}
}

func TestDefaultVariable(t *testing.T) {
	tests := []struct{ file, want string }{
		{"classic.nc", "v_int8"}, // the first of several equally large ones
		{"records.nc", "series_d"},
		{"single_record.nc", "only"},
	}
	for _, tc := range tests {
		r, err := netcdf3.Open(filepath.Join(fixtureDir, tc.file), formats.OpenOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if got := r.Info().Variable; got != tc.want {
			t.Errorf("%s: default variable %s, want %s", tc.file, got, tc.want)
		}
		r.Close()
	}
}

func TestVariableErrors(t *testing.T) {
	tests := []struct{ file, variable, want string }{
		{"records.nc", "cube", "cube(time=4, y=3, x=5) is not 2-D"},
		{"records.nc", "time", "time(time=4) is not 2-D"},
		{"classic.nc", "label", "char label(y=7, strlen=6) is not 2-D"},
		{"classic.nc", "goes_imager_projection", "is not 2-D"},
		{"classic.nc", "nope", `no variable "nope" (variables: double y(y=7); float x(x=5); int goes_imager_projection()`},
	}
	for _, tc := range tests {
		_, err := netcdf3.Open(filepath.Join(fixtureDir, tc.file), formats.OpenOptions{Variable: tc.variable})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "netcdf3: ") || !strings.Contains(err.Error(), tc.file) {
			t.Errorf("%s %s: error %v, want one containing %q", tc.file, tc.variable, err, tc.want)
		}
	}
}

// TestDescribe compares Describe with the `ncdump -h` output recorded by
// the fixture script.
func TestDescribe(t *testing.T) {
	for _, mf := range loadManifest(t) {
		want, err := os.ReadFile(filepath.Join(fixtureDir, strings.TrimSuffix(mf.File, ".nc")+".cdl"))
		if err != nil {
			t.Fatal(err)
		}
		r, err := netcdf3.Open(filepath.Join(fixtureDir, mf.File), formats.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := r.Describe(&got, formats.DescribeOptions{}); err != nil {
			t.Fatal(err)
		}
		r.Close()
		// ncdump writes "data :name" for variables named after CDL keywords.
		w := strings.ReplaceAll(string(want), "data :", "data:")
		if got.String() != w {
			gl, wl := strings.Split(got.String(), "\n"), strings.Split(w, "\n")
			for i := range min(len(gl), len(wl)) {
				if gl[i] != wl[i] {
					t.Errorf("%s: line %d\n got %q\nwant %q", mf.File, i+1, gl[i], wl[i])
					break
				}
			}
			if len(gl) != len(wl) {
				t.Errorf("%s: %d lines, want %d", mf.File, len(gl), len(wl))
			}
		}
	}
}

func TestRegistered(t *testing.T) {
	f, ok := formats.Lookup("netcdf3")
	if !ok || f.Open == nil || f.Create == nil {
		t.Fatalf("netcdf3 not registered with Open and Create: %+v", f)
	}
	for _, name := range []string{"classic.nc", "offset64.nc", "data64.nc"} {
		g, err := formats.Sniff(filepath.Join(fixtureDir, name))
		if err != nil || g.Name != "netcdf3" {
			t.Errorf("Sniff %s: %v %v", name, g.Name, err)
		}
	}
	if g, err := formats.ForOutput("out.nc"); err != nil || g.Name != "netcdf3" {
		t.Errorf("ForOutput out.nc: %v %v", g.Name, err)
	}
}
