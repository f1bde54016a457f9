package proj

import (
	"fmt"
	"math"
)

// Projection maps geographic coordinates to projected ones and back.
// Longitudes and latitudes are in degrees; projected coordinates are in
// metres, except for [LonLat], whose x and y are longitude and latitude.
// ok is false for a point the projection cannot map (beyond the limb of a
// geostationary view, a pole of a conic, a NaN). Forward accepts any
// longitude (it wraps the difference from the central meridian); Inverse
// returns longitudes within 180 degrees of the central meridian, not
// wrapped to [-180, 180], so they stay continuous across the antimeridian.
type Projection interface {
	Forward(lon, lat float64) (x, y float64, ok bool)
	Inverse(x, y float64) (lon, lat float64, ok bool)
	// Proj4 describes the projection as a PROJ string.
	Proj4() string
}

// Ellipsoid is a reference ellipsoid given by its semi-major axis A in
// metres and its flattening F.
type Ellipsoid struct {
	A, F float64
}

// The ellipsoids of the EPSG codes this package knows.
var (
	WGS84 = Ellipsoid{A: 6378137, F: 1 / 298.257223563}
	GRS80 = Ellipsoid{A: 6378137, F: 1 / 298.257222101}
)

// EllipsoidAB returns the ellipsoid with semi-axes a and b (metres).
func EllipsoidAB(a, b float64) Ellipsoid { return Ellipsoid{A: a, F: (a - b) / a} }

// B returns the semi-minor axis.
func (e Ellipsoid) B() float64 { return e.A * (1 - e.F) }

// E2 returns the first eccentricity squared.
func (e Ellipsoid) E2() float64 { return e.F * (2 - e.F) }

// E returns the first eccentricity.
func (e Ellipsoid) E() float64 { return math.Sqrt(e.E2()) }

// proj4 renders the ellipsoid's PROJ parameters.
func (e Ellipsoid) proj4() string {
	switch e {
	case WGS84:
		return "+ellps=WGS84"
	case GRS80:
		return "+ellps=GRS80"
	}
	return fmt.Sprintf("+a=%.17g +b=%.17g", e.A, e.B())
}

// validate reports an error for an ellipsoid that no projection can use.
func (e Ellipsoid) validate() error {
	if !(e.A > 0) || !(e.F >= 0 && e.F < 1) || math.IsInf(e.A, 0) {
		return fmt.Errorf("proj: bad ellipsoid a=%g f=%g", e.A, e.F)
	}
	return nil
}

const deg = math.Pi / 180

// wrapLon brings a longitude difference in radians into [-pi, pi].
func wrapLon(l float64) float64 {
	if l < -math.Pi || l > math.Pi {
		l = math.Remainder(l, 2*math.Pi)
	}
	return l
}

// tsfn is Snyder's t (eq. 15-9): tan(pi/4 - phi/2) / ((1 - e sin phi) /
// (1 + e sin phi))^(e/2), for the conformal conics and stereographic.
func tsfn(phi, e float64) float64 {
	s := e * math.Sin(phi)
	return math.Tan(math.Pi/4-phi/2) / math.Pow((1-s)/(1+s), e/2)
}

// phiFromT inverts [tsfn] by fixed-point iteration (Snyder eq. 7-9).
func phiFromT(t, e float64) (float64, bool) {
	phi := math.Pi/2 - 2*math.Atan(t)
	for range 30 {
		s := e * math.Sin(phi)
		next := math.Pi/2 - 2*math.Atan(t*math.Pow((1-s)/(1+s), e/2))
		if math.Abs(next-phi) < 1e-14 {
			return next, true
		}
		phi = next
	}
	return phi, !math.IsNaN(phi)
}

// msfn is Snyder's m (eq. 14-15): cos phi / sqrt(1 - e^2 sin^2 phi).
func msfn(phi, e2 float64) float64 {
	s := math.Sin(phi)
	return math.Cos(phi) / math.Sqrt(1-e2*s*s)
}
