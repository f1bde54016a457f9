package proj

import "math"

// LonLat is the equirectangular "projection" of a geographic CRS (EPSG:4326):
// x is the longitude and y the latitude, both in degrees.
type LonLat struct{}

var _ Projection = LonLat{}

// Forward returns lon and lat unchanged; ok is false for a latitude beyond
// the poles or a NaN.
func (LonLat) Forward(lon, lat float64) (x, y float64, ok bool) {
	return lon, lat, math.Abs(lat) <= 90 && !math.IsNaN(lon)
}

// Inverse returns x and y as longitude and latitude.
func (LonLat) Inverse(x, y float64) (lon, lat float64, ok bool) {
	return x, y, math.Abs(y) <= 90 && !math.IsNaN(x)
}

// Proj4 returns "+proj=longlat +datum=WGS84".
func (LonLat) Proj4() string { return "+proj=longlat +datum=WGS84 +no_defs" }
