package netcdf4

import (
	"slices"
	"strings"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/hdf5"
	"chunkpipe/formats/netcdf3"
)

// abiCoords collects what a NetCDF output should carry over from an ABI
// (or any CF) file: the 1-D coordinate variables of the data's two
// dimensions, raw with their packing attributes, the grid-mapping
// variable its grid_mapping attribute names (goes_imager_projection), and
// the single-valued coordinate variables its coordinates attribute names
// (ABI's band_id, band_wavelength and t). It returns nil when the file has
// none.
func abiCoords(f *hdf5.File, info formats.Info) any {
	c := &netcdf3.Coords{}
	if len(info.Dims) == 2 {
		c.Y = coordVar(f, info.Dims[0], info.Shape.Rows)
		c.X = coordVar(f, info.Dims[1], info.Shape.Cols)
	}
	if gm, ok := info.Attrs.String("grid_mapping"); ok {
		if ds, err := f.Dataset(gm); err == nil && ds.NumElements() == 1 {
			if raw, err := ds.ReadAll(); err == nil {
				if v, ok := decodeScalar(ds.DType(), raw); ok {
					dt, _ := dtypeOf(ds.DType())
					c.Scalars = append(c.Scalars, netcdf3.Var{Name: gm, DType: dt, Attrs: convertAttrs(ds.Attrs()), Values: []float64{v}})
				}
			}
		}
	}
	if names, ok := info.Attrs.String("coordinates"); ok {
		for _, name := range strings.Fields(names) {
			if v := scalarCoord(f, name, info.Dims); v != nil {
				c.Scalars = append(c.Scalars, *v)
				c.Coordinates = append(c.Coordinates, name)
			}
		}
	}
	if c.Y == nil && c.X == nil && len(c.Scalars) == 0 {
		return nil
	}
	return c
}

// coordVar reads the 1-D variable name of length n, or returns nil. A
// netCDF-4 dimension that is not a variable has no values: nil too.
func coordVar(f *hdf5.File, name string, n int) *netcdf3.Var {
	ds, err := f.Dataset(name)
	if err != nil || len(ds.Shape()) != 1 || ds.Shape()[0] != n || !ds.DType().IsNumeric() || ds.IsDimensionOnly() {
		return nil
	}
	dt, err := dtypeOf(ds.DType())
	if err != nil {
		return nil
	}
	raw, err := ds.ReadAll()
	if err != nil {
		return nil
	}
	a := &chunk.Array{DType: dt, Rect: chunk.Rect(0, 0, 1, n), Stride: n, Data: chunk.AlignedBytes(len(raw))}
	copy(a.Data, raw)
	vals := make([]float64, n)
	for i := range vals {
		vals[i], _ = decodeScalar(ds.DType(), a.Data[i*dt.Size():(i+1)*dt.Size()])
	}
	return &netcdf3.Var{Name: name, DType: dt, Attrs: convertAttrs(ds.Attrs()), Values: vals}
}

// scalarCoord reads the single-valued numeric variable name as a scalar
// coordinate, or returns nil: the data's own dimensions, netCDF-4
// dimensions that are not variables and variables of more than one value
// are not scalar coordinates. The bounds attribute is dropped, since the
// bounds variable is not carried over.
func scalarCoord(f *hdf5.File, name string, dims []string) *netcdf3.Var {
	if slices.Contains(dims, name) {
		return nil
	}
	ds, err := f.Dataset(name)
	if err != nil || ds.NumElements() != 1 || len(ds.Shape()) > 1 || !ds.DType().IsNumeric() || ds.IsDimensionOnly() {
		return nil
	}
	dt, err := dtypeOf(ds.DType())
	if err != nil {
		return nil
	}
	raw, err := ds.ReadAll()
	if err != nil {
		return nil
	}
	v, ok := decodeScalar(ds.DType(), raw)
	if !ok {
		return nil
	}
	attrs := slices.DeleteFunc(convertAttrs(ds.Attrs()), func(a formats.Attr) bool { return a.Name == "bounds" })
	return &netcdf3.Var{Name: name, DType: dt, Attrs: attrs, Values: []float64{v}}
}
