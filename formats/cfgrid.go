package formats

import (
	"slices"
	"sync"

	"chunkpipe/chunk"
)

// CFVar is a coordinate or grid-mapping variable as a writer of any format
// carries it over: Values are unpacked (scale_factor and add_offset
// applied) unless DType is an integer type holding the values as stored,
// and Attrs omit the packing attributes. A scalar has one value.
type CFVar struct {
	Name   string
	DType  chunk.DType
	Values []float64
	Attrs  Attrs
}

// CFGridVars is the CF description of an output's grid: the coordinate
// variables along rows (Y) and columns (X), the grid-mapping variable named
// by the data variable's grid_mapping attribute (its Attrs hold
// grid_mapping_name and the projection's parameters), and the scalar
// coordinate variables its coordinates attribute names (ABI's band_id,
// band_wavelength, t). Any of them may be absent (nil or empty).
type CFGridVars struct {
	Y, X        *CFVar
	Mapping     *CFVar
	Coordinates []CFVar
}

// CFGrid is implemented by [Info].Geo values that describe the input's grid
// the CF way (the NetCDF readers' coordinates). Writers of other formats
// use it to georeference their outputs: Zarr writes the variables beside
// the array, GeoTIFF turns a geostationary grid into GeoKeys and a
// geotransform.
type CFGrid interface {
	// CFGridVars returns the grid of an output of shape out whose pixels
	// each span factor x factor input pixels (coarsen:N): coordinates of a
	// coarsened output are the means of each block's input coordinates,
	// the block centres. It fails when a coordinate's length fits neither
	// the input nor the output.
	CFGridVars(out chunk.Shape, factor int) (*CFGridVars, error)
}

// CFGridFunc derives the CF description of a source whose Geo is not a
// [CFGrid] itself (a GeoTIFF's geotransform and EPSG code). It returns
// nil, nil when it does not recognise the source.
type CFGridFunc func(src *Info) (CFGrid, error)

var (
	cfGridMu    sync.RWMutex
	cfGridFuncs []CFGridFunc
)

// RegisterCFGridFunc adds a converter that [CFGridOf] consults, in the
// order of registration. Packages that know a georeferencing (package
// resample knows EPSG codes) register one in init, so that writers need
// not import them. It is safe for concurrent use.
func RegisterCFGridFunc(f CFGridFunc) {
	cfGridMu.Lock()
	defer cfGridMu.Unlock()
	cfGridFuncs = append(cfGridFuncs, f)
}

// CFGridOf returns the CF description of src's grid: its Geo when that is
// a [CFGrid], else the first registered converter's; nil, nil when there
// is none.
func CFGridOf(src *Info) (CFGrid, error) {
	if src == nil || src.Geo == nil {
		return nil, nil
	}
	if g, ok := src.Geo.(CFGrid); ok {
		return g, nil
	}
	cfGridMu.RLock()
	fs := slices.Clone(cfGridFuncs)
	cfGridMu.RUnlock()
	for _, f := range fs {
		if g, err := f(src); err != nil || g != nil {
			return g, err
		}
	}
	return nil, nil
}
