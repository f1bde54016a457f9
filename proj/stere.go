package proj

import (
	"fmt"
	"math"
)

// PolarStereographic is the ellipsoidal polar stereographic projection with
// a latitude of true scale (EPSG method 9829, "variant B"; NSIDC's sea-ice
// grids EPSG:3413 and EPSG:3976/3031 use it), after Snyder (1987, eqs.
// 21-33 to 21-40):
//
//	t   = tan(pi/4 - phi/2) / ((1 - e sin phi) / (1 + e sin phi))^(e/2)
//	rho = A m_c t / t_c           (or 2 A k0 t / sqrt((1+e)^(1+e) (1-e)^(1-e)) at the pole)
//	x = FE + rho sin(lam),  y = FN -+ rho cos(lam)   (north: minus)
//
// The south polar case reverses the signs of latitude, longitude and both
// coordinates.
type PolarStereographic struct {
	Ellipsoid Ellipsoid
	North     bool
	LatTS     float64 // latitude of true scale, degrees (90 or -90: K0 applies at the pole)
	Lon0      float64 // longitude straight down (north) or up (south) from the pole, degrees
	K0        float64 // scale at the pole when |LatTS| is 90
	FE, FN    float64

	e, akm float64 // rho = akm * t
}

// NewPolarStereographic returns a polar stereographic projection. k0 is used
// only when latTS is a pole.
func NewPolarStereographic(e Ellipsoid, north bool, latTS, lon0, k0, fe, fn float64) (*PolarStereographic, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	if math.Abs(latTS) > 90 || latTS == 0 || (latTS > 0) != north {
		return nil, fmt.Errorf("proj: stere: latitude of true scale %g does not suit a %s polar projection", latTS, map[bool]string{true: "north", false: "south"}[north])
	}
	p := &PolarStereographic{Ellipsoid: e, North: north, LatTS: latTS, Lon0: lon0, K0: k0, FE: fe, FN: fn, e: e.E()}
	phiC := math.Abs(latTS) * deg
	if math.Abs(latTS) == 90 {
		if !(k0 > 0) {
			return nil, fmt.Errorf("proj: stere: bad scale %g", k0)
		}
		p.akm = 2 * e.A * k0 / math.Sqrt(math.Pow(1+p.e, 1+p.e)*math.Pow(1-p.e, 1-p.e))
	} else {
		p.akm = e.A * msfn(phiC, e.E2()) / tsfn(phiC, p.e)
	}
	return p, nil
}

var _ Projection = (*PolarStereographic)(nil)

// Forward projects a point; ok is false at the opposite pole.
func (p *PolarStereographic) Forward(lon, lat float64) (x, y float64, ok bool) {
	lam := wrapLon((lon - p.Lon0) * deg)
	phi := lat * deg
	if !p.North {
		phi, lam = -phi, -lam
	}
	if phi <= -math.Pi/2 || math.Abs(lat) > 90 || math.IsNaN(lam) {
		return math.NaN(), math.NaN(), false
	}
	rho := p.akm * tsfn(phi, p.e)
	s, c := math.Sincos(lam)
	x, y = rho*s, -rho*c
	if !p.North {
		x, y = -x, -y
	}
	return p.FE + x, p.FN + y, !math.IsNaN(x+y) && !math.IsInf(x+y, 0)
}

// Inverse returns the point at (x, y).
func (p *PolarStereographic) Inverse(x, y float64) (lon, lat float64, ok bool) {
	x, y = x-p.FE, y-p.FN
	if !p.North {
		x, y = -x, -y
	}
	rho := math.Hypot(x, y)
	phi, ok := phiFromT(rho/p.akm, p.e)
	lam := math.Atan2(x, -y)
	if rho == 0 {
		lam = 0
	}
	if !p.North {
		phi, lam = -phi, -lam
	}
	return wrapLon(lam)/deg + p.Lon0, phi / deg, ok
}

// Proj4 returns the PROJ string.
func (p *PolarStereographic) Proj4() string {
	lat0 := 90.0
	if !p.North {
		lat0 = -90
	}
	return fmt.Sprintf("+proj=stere +lat_0=%g +lat_ts=%.17g +lon_0=%.17g +k=%.17g +x_0=%.17g +y_0=%.17g %s +units=m +no_defs",
		lat0, p.LatTS, p.Lon0, p.K0, p.FE, p.FN, p.Ellipsoid.proj4())
}
