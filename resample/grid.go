package resample

import (
	"fmt"
	"math"

	"chunkpipe/chunk"
	"chunkpipe/proj"
)

// Grid is a georeferenced raster: a CRS and a north-up affine pixel grid.
// Pixel (row, col) covers map coordinates
//
//	x in [X0 + col*DX, X0 + (col+1)*DX),  y in [Y0 + row*DY, Y0 + (row+1)*DY)
//
// (DY is negative for the usual north-up image), so its centre is at
// col+0.5, row+0.5. Rotated grids are not supported.
type Grid struct {
	CRS    proj.CRS
	X0, Y0 float64 // map coordinates of the outer corner of pixel (0, 0)
	DX, DY float64 // pixel size in map units; DY < 0 for north-up
	Shape  chunk.Shape
}

// Center returns the map coordinates of the centre of pixel (row, col);
// fractional indices address points between centres.
func (g Grid) Center(row, col float64) (x, y float64) {
	return g.X0 + (col+0.5)*g.DX, g.Y0 + (row+0.5)*g.DY
}

// Pixel returns the fractional pixel index of map point (x, y), relative
// to pixel centres: the centre of pixel (r, c) is (r, c) exactly, its
// edges are at +-0.5.
func (g Grid) Pixel(x, y float64) (row, col float64) {
	return (y-g.Y0)/g.DY - 0.5, (x-g.X0)/g.DX - 0.5
}

// GeoTransform returns the grid as GDAL's affine transform.
func (g Grid) GeoTransform() [6]float64 {
	return [6]float64{g.X0, g.DX, 0, g.Y0, 0, g.DY}
}

// validate checks that the grid can be used.
func (g Grid) validate(what string) error {
	if g.CRS.Proj == nil {
		return fmt.Errorf("resample: %s grid has no projection", what)
	}
	for _, v := range []float64{g.X0, g.Y0, g.DX, g.DY} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("resample: %s grid has a non-finite geotransform %v", what, g.GeoTransform())
		}
	}
	if g.DX == 0 || g.DY == 0 {
		return fmt.Errorf("resample: %s grid has a zero pixel size %v", what, g.GeoTransform())
	}
	if g.Shape.Rows <= 0 || g.Shape.Cols <= 0 {
		return fmt.Errorf("resample: %s grid has an empty shape %v", what, g.Shape)
	}
	return nil
}

// String describes the grid as gdalinfo would: CRS, size, origin and pixel
// size.
func (g Grid) String() string {
	return fmt.Sprintf("%s, %v pixels, origin (%.10g, %.10g), pixel size (%.10g, %.10g)", g.CRS, g.Shape, g.X0, g.Y0, g.DX, g.DY)
}
