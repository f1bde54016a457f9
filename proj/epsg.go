package proj

import (
	"fmt"
	"math"
)

// CRS is a coordinate reference system: a projection and, when one names
// it, its EPSG code (0 for a CRS without one, such as an ABI fixed grid).
type CRS struct {
	Proj Projection
	EPSG int
	Name string // a short human name, e.g. "WGS 84 / UTM zone 10N"
}

// Geographic reports whether the CRS is longitude/latitude in degrees.
func (c CRS) Geographic() bool {
	_, ok := c.Proj.(LonLat)
	return ok
}

// String returns "EPSG:N (name)" or the PROJ string.
func (c CRS) String() string {
	if c.EPSG != 0 {
		return fmt.Sprintf("EPSG:%d (%s)", c.EPSG, c.Name)
	}
	return c.Proj.Proj4()
}

// FromEPSG returns the CRS of an EPSG code this package knows:
//
//	4326                   WGS 84 longitude/latitude
//	32601-32660            WGS 84 / UTM zones 1N-60N
//	32701-32760            WGS 84 / UTM zones 1S-60S
//	3413                   WGS 84 / NSIDC Sea Ice Polar Stereographic North
//	3976                   WGS 84 / NSIDC Sea Ice Polar Stereographic South
//	3031                   WGS 84 / Antarctic Polar Stereographic
//	3995                   WGS 84 / Arctic Polar Stereographic
//	2154                   RGF93 / Lambert-93 (GRS 80, no datum shift)
//	3978                   NAD83 / Canada Atlas Lambert (GRS 80, no datum shift)
//
// Other codes are an error that lists these.
func FromEPSG(code int) (CRS, error) {
	var p Projection
	var err error
	var name string
	switch {
	case code == 4326:
		p, name = LonLat{}, "WGS 84"
	case code >= 32601 && code <= 32660:
		p, err = UTM(code-32600, true)
		name = fmt.Sprintf("WGS 84 / UTM zone %dN", code-32600)
	case code >= 32701 && code <= 32760:
		p, err = UTM(code-32700, false)
		name = fmt.Sprintf("WGS 84 / UTM zone %dS", code-32700)
	case code == 3413:
		p, err = NewPolarStereographic(WGS84, true, 70, -45, 1, 0, 0)
		name = "WGS 84 / NSIDC Sea Ice Polar Stereographic North"
	case code == 3976:
		p, err = NewPolarStereographic(WGS84, false, -70, 0, 1, 0, 0)
		name = "WGS 84 / NSIDC Sea Ice Polar Stereographic South"
	case code == 3031:
		p, err = NewPolarStereographic(WGS84, false, -71, 0, 1, 0, 0)
		name = "WGS 84 / Antarctic Polar Stereographic"
	case code == 3995:
		p, err = NewPolarStereographic(WGS84, true, 71, 0, 1, 0, 0)
		name = "WGS 84 / Arctic Polar Stereographic"
	case code == 2154:
		p, err = NewLambertConformalConic(GRS80, 49, 44, 46.5, 3, 1, 700000, 6600000)
		name = "RGF93 v1 / Lambert-93"
	case code == 3978:
		p, err = NewLambertConformalConic(GRS80, 49, 77, 49, -95, 1, 0, 0)
		name = "NAD83 / Canada Atlas Lambert"
	default:
		return CRS{}, fmt.Errorf("proj: EPSG:%d is not supported (known: 4326, 32601-32660, 32701-32760, 3413, 3976, 3031, 3995, 2154, 3978)", code)
	}
	if err != nil {
		return CRS{}, err
	}
	return CRS{Proj: p, EPSG: code, Name: name}, nil
}

// UTMZone returns the UTM zone (1-60) whose central meridian is nearest to
// lon (degrees), without Norway's and Svalbard's exceptions.
func UTMZone(lon float64) int {
	z := int(math.Floor((math.Remainder(lon, 360)+180)/6)) + 1
	return min(max(z, 1), 60)
}
