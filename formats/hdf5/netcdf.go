package hdf5

import "strings"

// hiddenAttrs are netCDF-4 and HDF5 dimension-scale bookkeeping attributes
// that Attrs() does not report.
var hiddenAttrs = map[string]bool{
	"_Netcdf4Coordinates": true,
	"_Netcdf4Dimid":       true,
	"_NCProperties":       true,
	"_nc3_strict":         true,
	"_IsNetcdf4":          true,
	"_SuperblockVersion":  true,
	"DIMENSION_LIST":      true,
	"REFERENCE_LIST":      true,
	"DIMENSION_LABELS":    true,
}

// netcdfDimOnly is the NAME value netCDF-4 gives to dimensions that are not
// also coordinate variables.
const netcdfDimOnly = "This is a netCDF dimension but not a netCDF variable"

// visibleAttrs filters out the bookkeeping attributes. CLASS and NAME are
// hidden only on dimension scales (CLASS == "DIMENSION_SCALE").
func visibleAttrs(attrs []Attribute) []Attribute {
	isScale := false
	if a, ok := findAttr(attrs, "CLASS"); ok {
		s, _ := a.AsString()
		isScale = s == "DIMENSION_SCALE"
	}
	out := make([]Attribute, 0, len(attrs))
	for _, a := range attrs {
		if hiddenAttrs[a.Name] || (isScale && (a.Name == "CLASS" || a.Name == "NAME")) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// IsNetCDF4 reports whether the file carries netCDF-4 markers
// (_NCProperties or netCDF dimension ids).
func (f *File) IsNetCDF4() bool {
	if _, ok := f.root.Attr("_NCProperties"); ok {
		return true
	}
	for _, d := range f.Datasets() {
		if _, ok := d.Attr("_Netcdf4Dimid"); ok {
			return true
		}
	}
	return false
}

// IsDimensionOnly reports whether the dataset is a netCDF-4 dimension
// without coordinate values (its NAME attribute says so).
func (ds *Dataset) IsDimensionOnly() bool {
	if !ds.IsDimensionScale() {
		return false
	}
	a, ok := ds.Attr("NAME")
	if !ok {
		return false
	}
	s, _ := a.AsString()
	return strings.HasPrefix(s, netcdfDimOnly)
}

// resolveDimensions sets the dimension names of every dataset from the
// dimension-scale attributes (DIMENSION_LIST on variables, _Netcdf4Dimid and
// _Netcdf4Coordinates on scales).
func (f *File) resolveDimensions() {
	all := f.Datasets()
	byID := map[int64]string{}
	for _, d := range all {
		if a, ok := d.Attr("_Netcdf4Dimid"); ok && d.IsDimensionScale() {
			if ids, ok := a.Int64s(); ok && len(ids) == 1 {
				byID[ids[0]] = d.name
			}
		}
	}
	for _, d := range all {
		rank := len(d.shape)
		if rank == 0 {
			continue
		}
		if d.IsDimensionScale() {
			if a, ok := d.Attr("_Netcdf4Coordinates"); ok {
				if ids, ok := a.Int64s(); ok && len(ids) == rank {
					names := make([]string, rank)
					good := true
					for i, id := range ids {
						if names[i], ok = byID[id]; !ok {
							good = false
						}
					}
					if good {
						d.dims = names
						continue
					}
				}
			}
			if rank == 1 {
				d.dims = []string{d.name}
			}
			continue
		}
		a, ok := d.Attr("DIMENSION_LIST")
		if !ok {
			continue
		}
		lists, ok := a.Value.([][]byte)
		if !ok || len(lists) != rank {
			continue
		}
		names := make([]string, rank)
		for i, refs := range lists {
			if len(refs) < f.offsetSize {
				continue
			}
			addr := f.addr(decodeAddr(refs[:f.offsetSize]))
			if ds, ok := f.objects[addr].(*Dataset); ok {
				names[i] = ds.name
			}
		}
		d.dims = names
	}
}
