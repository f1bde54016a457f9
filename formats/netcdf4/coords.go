package netcdf4

import (
	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/hdf5"
	"chunkpipe/formats/netcdf3"
)

// abiCoords collects what a NetCDF output should carry over from an ABI
// (or any CF) file: the 1-D coordinate variables of the data's two
// dimensions, raw with their packing attributes, and the grid-mapping
// variable its grid_mapping attribute names (goes_imager_projection). It
// returns nil when the file has none.
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
