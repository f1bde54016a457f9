package proj

import (
	"fmt"
	"math"
)

// TransverseMercator is the ellipsoidal transverse Mercator projection
// (UTM and national grids), computed by Krüger's series in the third
// flattening n to sixth order, as PROJ's default tmerc (Poder/Engsager) and
// Karney (2011, "Transverse Mercator with an accuracy of a few
// nanometers", eqs. 35-36) do:
//
//	xi' = atan2(tau', cos lam),  eta' = asinh(sin lam / hypot(tau', cos lam))
//	xi  = xi'  + sum_j alpha_j sin(2j xi') cosh(2j eta')
//	eta = eta' + sum_j alpha_j cos(2j xi') sinh(2j eta')
//	x = FE + k0 A eta,  y = FN + k0 A (xi - xi0)
//
// where tau' is the tangent of the conformal latitude and A the rectifying
// radius. Within a UTM zone it agrees with PROJ to well under a millimetre.
type TransverseMercator struct {
	Ellipsoid Ellipsoid
	Lon0      float64 // central meridian, degrees
	Lat0      float64 // latitude of origin, degrees
	K0        float64 // scale on the central meridian
	FE, FN    float64 // false easting and northing, metres

	e, ka, xi0  float64
	alpha, beta [7]float64 // [1..6]
}

// NewTransverseMercator returns a transverse Mercator projection.
func NewTransverseMercator(e Ellipsoid, lon0, lat0, k0, fe, fn float64) (*TransverseMercator, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	if !(k0 > 0) || math.Abs(lat0) > 90 {
		return nil, fmt.Errorf("proj: tmerc: bad scale %g or latitude of origin %g", k0, lat0)
	}
	t := &TransverseMercator{Ellipsoid: e, Lon0: lon0, Lat0: lat0, K0: k0, FE: fe, FN: fn, e: e.E()}
	n := e.F / (2 - e.F)
	n2 := n * n
	n3, n4, n5, n6 := n2*n, n2*n2, n2*n2*n, n2*n2*n2
	a := e.A / (1 + n) * (1 + n2/4 + n4/64 + n6/256)
	t.ka = k0 * a
	t.alpha = [7]float64{0,
		n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180 - 127*n5/288 + 7891*n6/37800,
		13*n2/48 - 3*n3/5 + 557*n4/1440 + 281*n5/630 - 1983433*n6/1935360,
		61*n3/240 - 103*n4/140 + 15061*n5/26880 + 167603*n6/181440,
		49561*n4/161280 - 179*n5/168 + 6601661*n6/7257600,
		34729*n5/80640 - 3418889*n6/1995840,
		212378941 * n6 / 319334400,
	}
	t.beta = [7]float64{0,
		n/2 - 2*n2/3 + 37*n3/96 - n4/360 - 81*n5/512 + 96199*n6/604800,
		n2/48 + n3/15 - 437*n4/1440 + 46*n5/105 - 1118711*n6/3870720,
		17*n3/480 - 37*n4/840 - 209*n5/4480 + 5569*n6/90720,
		4397*n4/161280 - 11*n5/504 - 830251*n6/7257600,
		4583*n5/161280 - 108847*n6/3991680,
		20648693 * n6 / 638668800,
	}
	if lat0 != 0 {
		xi, _ := t.series(lat0*deg, 0)
		t.xi0 = xi
	}
	return t, nil
}

// UTM returns the transverse Mercator projection of UTM zone (1-60) on the
// WGS 84 ellipsoid, north or south of the equator.
func UTM(zone int, north bool) (*TransverseMercator, error) {
	if zone < 1 || zone > 60 {
		return nil, fmt.Errorf("proj: UTM zone %d out of 1..60", zone)
	}
	fn := 0.0
	if !north {
		fn = 10000000
	}
	return NewTransverseMercator(WGS84, float64(zone)*6-183, 0, 0.9996, 500000, fn)
}

var _ Projection = (*TransverseMercator)(nil)

// conformalTau returns tan of the conformal latitude for tau = tan(phi).
func conformalTau(tau, e float64) float64 {
	tau1 := math.Hypot(1, tau)
	sig := math.Sinh(e * math.Atanh(e*tau/tau1))
	return tau*math.Hypot(1, sig) - sig*tau1
}

// series returns (xi, eta) for latitude phi and longitude difference lam
// (radians) on the unit rectifying sphere.
func (t *TransverseMercator) series(phi, lam float64) (xi, eta float64) {
	taup := conformalTau(math.Tan(phi), t.e)
	sinLam, cosLam := math.Sincos(lam)
	xip := math.Atan2(taup, cosLam)
	etap := math.Asinh(sinLam / math.Hypot(taup, cosLam))
	xi, eta = xip, etap
	for j := 1; j <= 6; j++ {
		s, c := math.Sincos(2 * float64(j) * xip)
		sh, ch := math.Sinh(2*float64(j)*etap), math.Cosh(2*float64(j)*etap)
		xi += t.alpha[j] * s * ch
		eta += t.alpha[j] * c * sh
	}
	return xi, eta
}

// Forward projects a point; ok is false for NaN input or a point 90 degrees
// or more from the central meridian on the equator.
func (t *TransverseMercator) Forward(lon, lat float64) (x, y float64, ok bool) {
	lam := wrapLon((lon - t.Lon0) * deg)
	if math.Abs(lat) > 90 || math.IsNaN(lam) {
		return math.NaN(), math.NaN(), false
	}
	xi, eta := t.series(lat*deg, lam)
	x, y = t.FE+t.ka*eta, t.FN+t.ka*(xi-t.xi0)
	return x, y, !math.IsNaN(x+y) && !math.IsInf(x+y, 0)
}

// Inverse returns the point at (x, y), solving for the latitude from the
// conformal one by Newton's method (Karney 2011, eq. 19).
func (t *TransverseMercator) Inverse(x, y float64) (lon, lat float64, ok bool) {
	xi := (y-t.FN)/t.ka + t.xi0
	eta := (x - t.FE) / t.ka
	xip, etap := xi, eta
	for j := 1; j <= 6; j++ {
		s, c := math.Sincos(2 * float64(j) * xi)
		sh, ch := math.Sinh(2*float64(j)*eta), math.Cosh(2*float64(j)*eta)
		xip -= t.beta[j] * s * ch
		etap -= t.beta[j] * c * sh
	}
	sinXi, cosXi := math.Sincos(xip)
	shEta := math.Sinh(etap)
	taup := sinXi / math.Hypot(shEta, cosXi)
	lam := math.Atan2(shEta, cosXi)
	e2 := t.e * t.e
	tau := taup / (1 - e2)
	for range 8 {
		tp := conformalTau(tau, t.e)
		d := (taup - tp) / math.Hypot(1, tp) * (1 + (1-e2)*tau*tau) / ((1 - e2) * math.Hypot(1, tau))
		tau += d
		if math.Abs(d) < 1e-15*math.Max(1, math.Abs(tau)) {
			break
		}
	}
	lon, lat = lam/deg+t.Lon0, math.Atan(tau)/deg
	return lon, lat, !math.IsNaN(lon + lat)
}

// Proj4 returns the PROJ string.
func (t *TransverseMercator) Proj4() string {
	return fmt.Sprintf("+proj=tmerc +lat_0=%.17g +lon_0=%.17g +k=%.17g +x_0=%.17g +y_0=%.17g %s +units=m +no_defs",
		t.Lat0, t.Lon0, t.K0, t.FE, t.FN, t.Ellipsoid.proj4())
}
