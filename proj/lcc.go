package proj

import (
	"fmt"
	"math"
)

// LambertConformalConic is the ellipsoidal Lambert conformal conic
// projection with one or two standard parallels (EPSG methods 9801 and
// 9802), after Snyder (1987, eqs. 15-1 to 15-11):
//
//	n = (ln m1 - ln m2) / (ln t1 - ln t2)   (sin phi1 with one parallel)
//	F = m1 / (n t1^n),  rho = A F t^n,  theta = n (lam - lam0)
//	x = FE + rho sin theta,  y = FN + rho0 - rho cos theta
//
// with m and t as in [PolarStereographic].
type LambertConformalConic struct {
	Ellipsoid    Ellipsoid
	Lat1, Lat2   float64 // standard parallels, degrees (equal for one)
	Lat0, Lon0   float64 // origin, degrees
	K0           float64 // scale on the standard parallel (1 for two parallels)
	FE, FN       float64
	e, n, af, r0 float64
}

// NewLambertConformalConic returns a Lambert conformal conic projection.
func NewLambertConformalConic(e Ellipsoid, lat1, lat2, lat0, lon0, k0, fe, fn float64) (*LambertConformalConic, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	if math.Abs(lat1) >= 90 || math.Abs(lat2) >= 90 || math.Abs(lat0) > 90 || math.Abs(lat1+lat2) < 1e-10 || !(k0 > 0) {
		return nil, fmt.Errorf("proj: lcc: bad standard parallels %g, %g, origin %g or scale %g", lat1, lat2, lat0, k0)
	}
	l := &LambertConformalConic{Ellipsoid: e, Lat1: lat1, Lat2: lat2, Lat0: lat0, Lon0: lon0, K0: k0, FE: fe, FN: fn, e: e.E()}
	e2 := e.E2()
	p1, p2 := lat1*deg, lat2*deg
	m1, t1 := msfn(p1, e2), tsfn(p1, l.e)
	if math.Abs(lat1-lat2) < 1e-10 {
		l.n = math.Sin(p1)
	} else {
		l.n = (math.Log(m1) - math.Log(msfn(p2, e2))) / (math.Log(t1) - math.Log(tsfn(p2, l.e)))
	}
	l.af = e.A * k0 * m1 / (l.n * math.Pow(t1, l.n))
	l.r0 = l.rho(lat0 * deg)
	return l, nil
}

var _ Projection = (*LambertConformalConic)(nil)

func (l *LambertConformalConic) rho(phi float64) float64 {
	if math.Abs(math.Abs(phi)-math.Pi/2) < 1e-12 {
		if phi*l.n > 0 {
			return 0
		}
		return math.Inf(1)
	}
	return l.af * math.Pow(tsfn(phi, l.e), l.n)
}

// Forward projects a point; ok is false at the pole the cone does not
// reach.
func (l *LambertConformalConic) Forward(lon, lat float64) (x, y float64, ok bool) {
	if math.Abs(lat) > 90 || math.IsNaN(lon) {
		return math.NaN(), math.NaN(), false
	}
	r := l.rho(lat * deg)
	theta := l.n * wrapLon((lon-l.Lon0)*deg)
	s, c := math.Sincos(theta)
	x, y = l.FE+r*s, l.FN+l.r0-r*c
	return x, y, !math.IsNaN(x+y) && !math.IsInf(x+y, 0)
}

// Inverse returns the point at (x, y).
func (l *LambertConformalConic) Inverse(x, y float64) (lon, lat float64, ok bool) {
	dx, dy := x-l.FE, l.r0-(y-l.FN)
	if l.n < 0 {
		dx, dy = -dx, -dy
	}
	r := math.Hypot(dx, dy)
	theta := math.Atan2(dx, dy)
	if r == 0 {
		return l.Lon0, math.Copysign(90, l.n), true
	}
	phi, ok := phiFromT(math.Pow(r/math.Abs(l.af), 1/l.n), l.e)
	return theta/l.n/deg + l.Lon0, phi / deg, ok
}

// Proj4 returns the PROJ string.
func (l *LambertConformalConic) Proj4() string {
	return fmt.Sprintf("+proj=lcc +lat_1=%.17g +lat_2=%.17g +lat_0=%.17g +lon_0=%.17g +k_0=%.17g +x_0=%.17g +y_0=%.17g %s +units=m +no_defs",
		l.Lat1, l.Lat2, l.Lat0, l.Lon0, l.K0, l.FE, l.FN, l.Ellipsoid.proj4())
}
