package proj

import (
	"fmt"
	"math"
)

// Geos is the geostationary satellite view (PROJ's geos), the projection of
// GOES ABI's fixed grid: a point's x and y are the instrument's scan angles
// in radians, multiplied by the satellite's height above the ellipsoid H,
// as GDAL and PROJ express them in metres. ABI's goes_imager_projection
// variable gives every parameter.
//
// SweepX is true for GOES (sweep_angle_axis "x": the instrument scans
// north-south first), false for Meteosat ("y").
type Geos struct {
	Ellipsoid Ellipsoid
	H         float64 // perspective_point_height, metres above the ellipsoid
	Lon0      float64 // longitude_of_projection_origin, degrees
	SweepX    bool

	radiusG, radiusG1, radiusP, radiusP2, radiusPInv2, c float64
}

// NewGeos returns a geostationary projection, or an error for a
// non-positive height or a bad ellipsoid.
func NewGeos(e Ellipsoid, h, lon0 float64, sweepX bool) (*Geos, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	if !(h > 0) || math.IsInf(h, 0) || math.IsNaN(lon0) {
		return nil, fmt.Errorf("proj: geos: bad height %g or origin longitude %g", h, lon0)
	}
	g := &Geos{Ellipsoid: e, H: h, Lon0: lon0, SweepX: sweepX}
	g.radiusG1 = h / e.A
	g.radiusG = 1 + g.radiusG1
	g.c = g.radiusG*g.radiusG - 1
	g.radiusP = 1 - e.F
	g.radiusP2 = g.radiusP * g.radiusP
	g.radiusPInv2 = 1 / g.radiusP2
	return g, nil
}

var _ Projection = (*Geos)(nil)

// Forward projects a point; ok is false when it lies beyond the limb, where
// the satellite cannot see it.
//
// Following PROJ's geos.c: the geocentric latitude gives the point's
// position V on the ellipsoid (in units of A), seen from the satellite at
// distance radiusG = 1 + H/A from the centre; the scan angles are
//
//	sweep x: x = atan(Vy / hypot(Vz, radiusG - Vx)), y = atan(Vz / (radiusG - Vx))
//	sweep y: x = atan(Vy / (radiusG - Vx)),          y = atan(Vz / hypot(Vy, radiusG - Vx))
func (g *Geos) Forward(lon, lat float64) (x, y float64, ok bool) {
	lam := wrapLon((lon - g.Lon0) * deg)
	// The geocentric latitude psi has tan psi = (b/a)^2 tan phi; its sine
	// and cosine follow without an atan.
	sinPhi, cosPhi := math.Sincos(lat * deg)
	sp := g.radiusP2 * sinPhi
	n := math.Sqrt(cosPhi*cosPhi + sp*sp)
	cosPsi, sinPsi := cosPhi/n, sp/n
	if cosPhi < 0 || math.Abs(lat) > 90 {
		return math.NaN(), math.NaN(), false
	}
	rc := g.radiusP * cosPsi
	r := g.radiusP / math.Sqrt(rc*rc+sinPsi*sinPsi)
	sinLam, cosLam := math.Sincos(lam)
	vx := r * cosLam * cosPsi
	vy := r * sinLam * cosPsi
	vz := r * sinPsi
	if (g.radiusG-vx)*vx-vy*vy-vz*vz*g.radiusPInv2 < 0 {
		return math.NaN(), math.NaN(), false
	}
	tmp := g.radiusG - vx
	if g.SweepX {
		x = math.Atan(vy / math.Sqrt(vz*vz+tmp*tmp))
		y = math.Atan(vz / tmp)
	} else {
		x = math.Atan(vy / tmp)
		y = math.Atan(vz / math.Sqrt(vy*vy+tmp*tmp))
	}
	return x * g.H, y * g.H, !math.IsNaN(x + y)
}

// Inverse returns the point seen at scan angles (x/H, y/H); ok is false when
// the line of sight misses the Earth.
func (g *Geos) Inverse(x, y float64) (lon, lat float64, ok bool) {
	ax, ay := x/g.H, y/g.H
	vx := -1.0
	var vy, vz float64
	if g.SweepX {
		vz = math.Tan(ay)
		vy = math.Tan(ax) * math.Sqrt(1+vz*vz)
	} else {
		vy = math.Tan(ax)
		vz = math.Tan(ay) * math.Sqrt(1+vy*vy)
	}
	a := vz / g.radiusP
	a = vy*vy + a*a + vx*vx
	b := 2 * g.radiusG * vx
	det := b*b - 4*a*g.c
	if !(det >= 0) {
		return math.NaN(), math.NaN(), false
	}
	k := (-b - math.Sqrt(det)) / (2 * a)
	vx = g.radiusG + k*vx
	vy *= k
	vz *= k
	lam := math.Atan2(vy, vx)
	// PROJ: phi = atan(a^2/b^2 tan(atan(vz cos(lam) / vx))), and
	// cos(lam) / vx = 1 / hypot(vx, vy).
	phi := math.Atan(g.radiusPInv2 * vz / math.Sqrt(vx*vx+vy*vy))
	return lam/deg + g.Lon0, phi / deg, true
}

// Proj4 returns the PROJ string, as GDAL writes it for an ABI file.
func (g *Geos) Proj4() string {
	sweep := "y"
	if g.SweepX {
		sweep = "x"
	}
	return fmt.Sprintf("+proj=geos +lon_0=%.17g +h=%.17g %s +sweep=%s +units=m +no_defs", g.Lon0, g.H, g.Ellipsoid.proj4(), sweep)
}
