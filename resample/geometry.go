package resample

import (
	"fmt"
	"math"
	"strings"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
	"chunkpipe/formats/netcdf3"
	"chunkpipe/proj"
)

// SourceGrid returns the georeferencing of an input as a [Grid]:
//
//   - an ABI L1b/L2 NetCDF-4 file: the x and y coordinate variables (scan
//     angles in radians, packed with scale_factor and add_offset) and the
//     goes_imager_projection variable (perspective_point_height,
//     semi_major_axis, semi_minor_axis, longitude_of_projection_origin,
//     sweep_angle_axis), as the netcdf4 reader exposes them in Info.Geo;
//     map coordinates are the scan angles times the height, as in GDAL;
//   - a GeoTIFF with a north-up geotransform and an EPSG code that
//     [proj.FromEPSG] knows.
//
// Anything else is an error that names the file and what is missing.
func SourceGrid(info formats.Info) (Grid, error) {
	switch geo := info.Geo.(type) {
	case *netcdf3.Coords:
		g, err := abiGrid(geo, info.Shape)
		if err != nil {
			return Grid{}, fmt.Errorf("resample: %s: %w", inputName(info), err)
		}
		return g, nil
	case *geotiff.Georef:
		g, err := geotiffGrid(geo, info.Shape)
		if err != nil {
			return Grid{}, fmt.Errorf("resample: %s: %w", inputName(info), err)
		}
		return g, nil
	}
	return Grid{}, fmt.Errorf("resample: %s has no georeferencing to resample from (want an ABI fixed grid with x, y and goes_imager_projection, or a GeoTIFF with an EPSG code)", inputName(info))
}

func inputName(info formats.Info) string {
	if info.Variable == "" {
		return info.Path
	}
	return info.Path + ":" + strings.TrimPrefix(info.Variable, "/")
}

// abiGrid reads the geostationary fixed grid of an ABI file.
func abiGrid(c *netcdf3.Coords, shape chunk.Shape) (Grid, error) {
	var gm *netcdf3.Var
	for i := range c.Scalars {
		if name, _ := c.Scalars[i].Attrs.String("grid_mapping_name"); name == "geostationary" {
			gm = &c.Scalars[i]
		}
	}
	if gm == nil {
		return Grid{}, fmt.Errorf("no geostationary grid_mapping variable (goes_imager_projection)")
	}
	num := func(name string) (float64, error) {
		v, ok := gm.Attrs.Float(name)
		if !ok {
			return 0, fmt.Errorf("%s has no numeric attribute %s", gm.Name, name)
		}
		return v, nil
	}
	var vals [4]float64
	for i, name := range []string{"perspective_point_height", "semi_major_axis", "semi_minor_axis", "longitude_of_projection_origin"} {
		v, err := num(name)
		if err != nil {
			return Grid{}, err
		}
		vals[i] = v
	}
	sweep, _ := gm.Attrs.String("sweep_angle_axis")
	if sweep != "x" && sweep != "y" {
		return Grid{}, fmt.Errorf("%s: sweep_angle_axis %q, want \"x\" or \"y\"", gm.Name, sweep)
	}
	h := vals[0]
	p, err := proj.NewGeos(proj.EllipsoidAB(vals[1], vals[2]), h, vals[3], sweep == "x")
	if err != nil {
		return Grid{}, fmt.Errorf("%s: %w", gm.Name, err)
	}
	if c.X == nil || c.Y == nil {
		return Grid{}, fmt.Errorf("no x and y coordinate variables of lengths %d and %d", shape.Cols, shape.Rows)
	}
	x0, dx, err := axis(c.X, shape.Cols)
	if err != nil {
		return Grid{}, err
	}
	y0, dy, err := axis(c.Y, shape.Rows)
	if err != nil {
		return Grid{}, err
	}
	return Grid{CRS: proj.CRS{Proj: p, Name: "GOES fixed grid"}, X0: (x0 - dx/2) * h, DX: dx * h, Y0: (y0 - dy/2) * h, DY: dy * h, Shape: shape}, nil
}

// axis unpacks a regular 1-D coordinate variable: its first value and step.
func axis(v *netcdf3.Var, n int) (first, step float64, err error) {
	if len(v.Values) != n || n < 2 {
		return 0, 0, fmt.Errorf("coordinate %s has %d values, want %d (at least 2)", v.Name, len(v.Values), n)
	}
	scale, offset := 1.0, 0.0
	if s, ok := v.Attrs.Float("scale_factor"); ok {
		scale = s
	}
	if o, ok := v.Attrs.Float("add_offset"); ok {
		offset = o
	}
	first = v.Values[0]*scale + offset
	last := v.Values[n-1]*scale + offset
	step = (last - first) / float64(n-1)
	if step == 0 {
		return 0, 0, fmt.Errorf("coordinate %s is constant", v.Name)
	}
	// A regular axis: every value within a quarter step of the line
	// (packed values are rounded to the packing's resolution).
	for i, raw := range v.Values {
		want := first + float64(i)*step
		if d := raw*scale + offset - want; math.Abs(d) > 0.25*math.Abs(step) {
			return 0, 0, fmt.Errorf("coordinate %s is not regular at index %d", v.Name, i)
		}
	}
	return first, step, nil
}

// geotiffGrid reads a GeoTIFF's geotransform and EPSG code.
func geotiffGrid(g *geotiff.Georef, shape chunk.Shape) (Grid, error) {
	gt, ok := g.GeoTransform()
	if !ok {
		return Grid{}, fmt.Errorf("GeoTIFF has no geotransform (ground control points are not supported)")
	}
	if gt[2] != 0 || gt[4] != 0 {
		return Grid{}, fmt.Errorf("GeoTIFF geotransform %v is rotated (not supported)", gt)
	}
	code, ok := g.EPSG()
	if !ok {
		return Grid{}, fmt.Errorf("GeoTIFF CRS has no EPSG code (user-defined CRSs are not supported)")
	}
	crs, err := proj.FromEPSG(code)
	if err != nil {
		return Grid{}, err
	}
	return Grid{CRS: crs, X0: gt[0], DX: gt[1], Y0: gt[3], DY: gt[5], Shape: shape}, nil
}

// targetGeoref returns the GeoTIFF tags that georeference grid g: pixel
// scale, one tiepoint at the corner of pixel (0, 0), and GeoKeys naming
// its EPSG code (PixelIsArea).
func targetGeoref(g Grid) *geotiff.Georef {
	const (
		modelProjected  = 1
		modelGeographic = 2
		rasterIsArea    = 1
	)
	model, key := uint16(modelProjected), uint16(3072) // ProjectedCSTypeGeoKey
	if g.CRS.Geographic() {
		model, key = modelGeographic, 2048 // GeographicTypeGeoKey
	}
	return &geotiff.Georef{
		PixelScale: []float64{g.DX, -g.DY, 0},
		Tiepoints:  []float64{0, 0, 0, g.X0, g.Y0, 0},
		GeoKeys: []uint16{1, 1, 0, 3,
			1024, 0, 1, model,
			1025, 0, 1, rasterIsArea,
			key, 0, 1, uint16(g.CRS.EPSG)},
	}
}
