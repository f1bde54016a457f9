package resample

import (
	"fmt"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
	"chunkpipe/formats/netcdf3"
	"chunkpipe/proj"
)

func init() { formats.RegisterCFGridFunc(cfGrid) }

// CRSVariable names the scalar variable that describes the target CRS in
// NetCDF and Zarr outputs, as CF's grid_mapping attribute refers to it.
const CRSVariable = "crs"

// netcdfCoords gives a NetCDF output of a source georeferenced by a
// GeoTIFF geotransform and an EPSG code that [proj.FromEPSG] knows (a
// resampled grid, a GeoTIFF input, band math over either) its CF
// coordinates: 1-D lat and lon (degrees) for EPSG:4326, else y and x
// (metres, projection_y_coordinate and projection_x_coordinate), at pixel
// centres, and a scalar variable "crs" with the CF grid-mapping attributes
// of the CRS, its EPSG code and its WKT (crs_wkt, which GDAL reads with
// the code). Other sources (rotated, without a code, or one this package
// does not know) get none, as before resampling existed.
func netcdfCoords(src *formats.Info) (*netcdf3.Coords, error) {
	g, ok := src.Geo.(*geotiff.Georef)
	if !ok || g == nil {
		return nil, nil
	}
	grid, err := geotiffGrid(g, src.Shape)
	if err != nil {
		if _, resampled := src.Attrs.Get("resampling"); resampled {
			return nil, fmt.Errorf("resample: %w", err)
		}
		return nil, nil
	}
	return gridCoords(grid), nil
}

// cfGrid is netcdfCoords as a [formats.CFGrid], the form the NetCDF and
// Zarr writers look up (formats.CFGridOf).
func cfGrid(src *formats.Info) (formats.CFGrid, error) {
	c, err := netcdfCoords(src)
	if c == nil || err != nil {
		return nil, err
	}
	return c, nil
}

// gridCoords builds the coordinate and CRS variables of a grid.
func gridCoords(g Grid) *netcdf3.Coords {
	ys := make([]float64, g.Shape.Rows)
	for i := range ys {
		_, ys[i] = g.Center(float64(i), 0)
	}
	xs := make([]float64, g.Shape.Cols)
	for i := range xs {
		xs[i], _ = g.Center(0, float64(i))
	}
	yName, xName := "y", "x"
	yAttrs := formats.Attrs{{Name: "standard_name", Value: "projection_y_coordinate"}, {Name: "units", Value: "m"}}
	xAttrs := formats.Attrs{{Name: "standard_name", Value: "projection_x_coordinate"}, {Name: "units", Value: "m"}}
	if g.CRS.Geographic() {
		yName, xName = "lat", "lon"
		yAttrs = formats.Attrs{{Name: "standard_name", Value: "latitude"}, {Name: "units", Value: "degrees_north"}}
		xAttrs = formats.Attrs{{Name: "standard_name", Value: "longitude"}, {Name: "units", Value: "degrees_east"}}
	}
	return &netcdf3.Coords{
		Y:       &netcdf3.Var{Name: yName, DType: chunk.Float64, Attrs: yAttrs, Values: ys},
		X:       &netcdf3.Var{Name: xName, DType: chunk.Float64, Attrs: xAttrs, Values: xs},
		Scalars: []netcdf3.Var{{Name: CRSVariable, DType: chunk.Int32, Attrs: cfGridMapping(g.CRS), Values: []float64{0}}},
	}
}

// cfGridMapping returns the CF grid-mapping attributes of a CRS (CF 1.8,
// appendix F), with its EPSG code, WKT and PROJ string for readers that
// prefer them.
func cfGridMapping(c proj.CRS) formats.Attrs {
	var a formats.Attrs
	ell := func(e proj.Ellipsoid) {
		a = append(a, formats.Attr{Name: "semi_major_axis", Value: e.A}, formats.Attr{Name: "inverse_flattening", Value: 1 / e.F})
	}
	switch p := c.Proj.(type) {
	case proj.LonLat:
		a = append(a, formats.Attr{Name: "grid_mapping_name", Value: "latitude_longitude"})
		ell(proj.WGS84)
	case *proj.TransverseMercator:
		a = append(a, formats.Attr{Name: "grid_mapping_name", Value: "transverse_mercator"},
			formats.Attr{Name: "scale_factor_at_central_meridian", Value: p.K0},
			formats.Attr{Name: "longitude_of_central_meridian", Value: p.Lon0},
			formats.Attr{Name: "latitude_of_projection_origin", Value: p.Lat0},
			formats.Attr{Name: "false_easting", Value: p.FE}, formats.Attr{Name: "false_northing", Value: p.FN})
		ell(p.Ellipsoid)
	case *proj.PolarStereographic:
		lat0 := 90.0
		if !p.North {
			lat0 = -90
		}
		a = append(a, formats.Attr{Name: "grid_mapping_name", Value: "polar_stereographic"},
			formats.Attr{Name: "straight_vertical_longitude_from_pole", Value: p.Lon0},
			formats.Attr{Name: "latitude_of_projection_origin", Value: lat0},
			formats.Attr{Name: "standard_parallel", Value: p.LatTS},
			formats.Attr{Name: "false_easting", Value: p.FE}, formats.Attr{Name: "false_northing", Value: p.FN})
		ell(p.Ellipsoid)
	case *proj.LambertConformalConic:
		a = append(a, formats.Attr{Name: "grid_mapping_name", Value: "lambert_conformal_conic"},
			formats.Attr{Name: "standard_parallel", Value: []float64{p.Lat1, p.Lat2}},
			formats.Attr{Name: "longitude_of_central_meridian", Value: p.Lon0},
			formats.Attr{Name: "latitude_of_projection_origin", Value: p.Lat0},
			formats.Attr{Name: "false_easting", Value: p.FE}, formats.Attr{Name: "false_northing", Value: p.FN})
		ell(p.Ellipsoid)
	}
	if c.EPSG != 0 {
		a = append(a, formats.Attr{Name: "epsg_code", Value: fmt.Sprintf("EPSG:%d", c.EPSG)})
	}
	if wkt, err := c.WKT(); err == nil {
		// CF 1.7's crs_wkt, and GDAL's spatial_ref, which GDAL reads in
		// preference to the parameters, keeping the EPSG code.
		a = append(a, formats.Attr{Name: "crs_wkt", Value: wkt}, formats.Attr{Name: "spatial_ref", Value: wkt})
	}
	return append(a, formats.Attr{Name: "proj4", Value: c.Proj.Proj4()})
}
