package hdf5

import (
	"math"
	"path/filepath"
	"reflect"
	"testing"
)

func openReal(t *testing.T, rel string) *File {
	t.Helper()
	f, err := Open(filepath.Join(realDataDir(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func attrNames(attrs []Attribute) map[string]Attribute {
	m := map[string]Attribute{}
	for _, a := range attrs {
		m[a.Name] = a
	}
	return m
}

func TestNetCDF4ABI(t *testing.T) {
	f := openReal(t, realRegionVars[0][0])
	if !f.IsNetCDF4() {
		t.Error("ABI file not recognised as netCDF-4")
	}
	rad, err := f.Dataset("Rad")
	if err != nil {
		t.Fatal(err)
	}
	if p := rad.Path(); p != "/Rad" {
		t.Errorf("path %q", p)
	}
	if got := rad.Dims(); !reflect.DeepEqual(got, []string{"y", "x"}) {
		t.Errorf("Rad dims %v", got)
	}
	if got := rad.ChunkShape(); !reflect.DeepEqual(got, []int{250, 250}) {
		t.Errorf("Rad chunks %v", got)
	}
	if got := rad.Compression(); got != "deflate(level 1)" {
		t.Errorf("Rad compression %q", got)
	}
	attrs := attrNames(rad.Attrs())
	for _, hidden := range []string{"DIMENSION_LIST", "_Netcdf4Dimid", "_Netcdf4Coordinates", "REFERENCE_LIST", "CLASS", "NAME"} {
		if _, ok := attrs[hidden]; ok {
			t.Errorf("Rad: internal attribute %s not hidden", hidden)
		}
	}
	for _, kept := range []string{"_FillValue", "_Unsigned", "scale_factor", "add_offset", "valid_range"} {
		if _, ok := attrs[kept]; !ok {
			t.Errorf("Rad: attribute %s missing", kept)
		}
	}
	if v := attrs["_FillValue"].Value; !reflect.DeepEqual(v, []int16{1023}) {
		t.Errorf("_FillValue = %#v", v)
	}
	if s, _ := attrs["_Unsigned"].AsString(); s != "true" {
		t.Errorf("_Unsigned = %q", s)
	}
	if v, _ := attrs["scale_factor"].Float64(); math.Abs(v-0.1760585) > 1e-6 {
		t.Errorf("scale_factor = %v", v)
	}
	if _, ok := rad.Attr("DIMENSION_LIST"); !ok {
		t.Error("AllAttrs/Attr lost DIMENSION_LIST")
	}
	x, err := f.Dataset("/x")
	if err != nil {
		t.Fatal(err)
	}
	if !x.IsDimensionScale() || !reflect.DeepEqual(x.Dims(), []string{"x"}) {
		t.Errorf("x: scale %v dims %v", x.IsDimensionScale(), x.Dims())
	}
	if _, ok := attrNames(x.Attrs())["CLASS"]; ok {
		t.Error("x: CLASS not hidden on a dimension scale")
	}
	if s, _ := attrNames(f.Attrs())["title"].AsString(); s != "ABI L1b Radiances" {
		t.Errorf("title = %q", s)
	}
	if s, _ := attrNames(f.Attrs())["platform_ID"].AsString(); s != "G16" {
		t.Errorf("platform_ID = %q", s)
	}
}

func TestNetCDF4VIIRS(t *testing.T) {
	f := openReal(t, "netcdf/SS_VIIRS_NPP-NAVO-L2P-v3.0.nc")
	sst, err := f.Dataset("sea_surface_temperature")
	if err != nil {
		t.Fatal(err)
	}
	if got := sst.Dims(); !reflect.DeepEqual(got, []string{"time", "nj", "ni"}) {
		t.Errorf("dims %v", got)
	}
	if got := sst.Compression(); got != "shuffle+deflate(level 5)" {
		t.Errorf("compression %q", got)
	}
	ni, _ := f.Dataset("ni")
	if !ni.IsDimensionOnly() {
		t.Error("ni should be a dimension without coordinate values")
	}
}

func TestGPMNestedGroups(t *testing.T) {
	f := openReal(t, "hdf5/2A-CS-151E24S154E30S.GPM.Ku.V7-20170308.20141206-S095002-E095137.004383.V05A.HDF5")
	if f.IsNetCDF4() {
		t.Error("GPM file reported as netCDF-4")
	}
	ds, err := f.Dataset("/NS/SLV/zFactorCorrected")
	if err != nil {
		t.Fatal(err)
	}
	if got := ds.Shape(); !reflect.DeepEqual(got, []int{136, 49, 176}) {
		t.Errorf("shape %v", got)
	}
	if got := ds.ChunkShape(); !reflect.DeepEqual(got, []int{30, 49, 176}) {
		t.Errorf("chunks %v", got)
	}
	obj, ok := f.Root().Lookup("NS/SLV")
	if !ok {
		t.Fatal("NS/SLV missing")
	}
	if _, ok := obj.(*Group).Dataset("zFactorCorrected"); !ok {
		t.Error("zFactorCorrected not in /NS/SLV")
	}
	if u, _ := attrNames(ds.Attrs())["units"].AsString(); u != "dBZ" {
		t.Errorf("units %q", u)
	}
}
