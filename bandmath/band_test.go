package bandmath

import (
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

func TestBandName(t *testing.T) {
	const m1c07 = "/data/OR_ABI-L1b-RadM1-M6C07_G17_s20193002000275_e20193002000344_c20193002000390.nc"
	tests := []struct {
		name    string
		path    string
		scalars formats.Attrs
		want    string
		ok      bool
	}{
		{"band_id float", "x.nc", formats.Attrs{{Name: "band_id", Value: 7.0}}, "c07", true},
		{"band_id int", "x.nc", formats.Attrs{{Name: "band_id", Value: int64(13)}}, "c13", true},
		{"band_id array", "x.nc", formats.Attrs{{Name: "band_id", Value: []int64{16}}}, "c16", true},
		{"band_id wins over name", m1c07, formats.Attrs{{Name: "band_id", Value: int64(5)}}, "c05", true},
		{"file name", m1c07, nil, "c07", true},
		{"file name dash", "OR_ABI-L2-CMIPF-M3C14_G16_s2017.nc", nil, "c14", true},
		{"file name underscore", "x_M4C01_y.nc", nil, "c01", true},
		{"bad band_id falls back", m1c07, formats.Attrs{{Name: "band_id", Value: 0.0}}, "c07", true},
		{"fractional band_id", "x.nc", formats.Attrs{{Name: "band_id", Value: 2.5}}, "", false},
		{"band 17", "x_M6C17_y.nc", nil, "", false},
		{"no band", "granule.npy", nil, "", false},
		{"text band_id", "x.nc", formats.Attrs{{Name: "band_id", Value: "7"}}, "", false},
		{"pattern in directory only", "/M6C07_/granule.npy", nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := BandName(formats.Info{Path: tt.path}, tt.scalars)
			if got != tt.want || ok != tt.ok {
				t.Errorf("BandName = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestNewInput(t *testing.T) {
	m := newMem("OR_ABI-L1b-RadM1-M6C07_G17_s2019", chunk.Shape{Rows: 2, Cols: 2}, chunk.Shape{}, randomCounts(1, 0, 9, 0))
	m.info.Path += ".nc"
	m.info.Attrs = formats.Attrs{{Name: "scale_factor", Value: 0.5}, {Name: "_Unsigned", Value: "true"}, {Name: "valid_range", Value: []int64{0, 1022}}}
	m.scalars = formats.Attrs{{Name: "planck_fk1", Value: 202263.0}, {Name: "scale_factor", Value: 9.0}}
	in, err := NewInput(m, "")
	if err != nil {
		t.Fatal(err)
	}
	if in.Name != "c07" || in.Reader != m {
		t.Errorf("input %q", in.Name)
	}
	if v, _ := in.Params.Float("scale_factor"); v != 0.5 {
		t.Errorf("scale_factor %v: the variable's attribute should win", v)
	}
	if v, _ := in.Params.Float("planck_fk1"); v != 202263 {
		t.Errorf("planck_fk1 %v", v)
	}
	if vs, _ := in.Params.Floats("valid_range"); len(vs) != 2 || vs[1] != 1022 {
		t.Errorf("valid_range %v", vs)
	}
	if s, _ := in.Params.Text("_Unsigned"); s != "true" {
		t.Errorf("_Unsigned %q", s)
	}
	if in, err := NewInput(m, "red"); err != nil || in.Name != "red" {
		t.Errorf("named input: %v %v", in.Name, err)
	}
	m.info.Path = "granule.nc"
	m.scalars = nil
	for _, name := range []string{"", "1x"} {
		if _, err := NewInput(m, name); err == nil || !strings.HasPrefix(err.Error(), "bandmath: ") {
			t.Errorf("NewInput(%q) = %v", name, err)
		}
	}
	if _, err := NewInput(nil, "a"); err == nil {
		t.Error("nil reader accepted")
	}
}
