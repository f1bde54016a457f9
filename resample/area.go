package resample

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"chunkpipe/chunk"
	"chunkpipe/proj"
)

// Area is a target grid as the user names it: a CRS, optional bounds and a
// resolution. Without bounds the grid covers the input's footprint.
type Area struct {
	CRS proj.CRS
	// Bounds are xmin, ymin, xmax, ymax in the CRS's units (degrees of
	// longitude and latitude for EPSG:4326); nil: the input's footprint,
	// widened outwards to whole multiples of the resolution (gdalwarp -tap).
	Bounds     *[4]float64
	ResX, ResY float64 // pixel size, positive
	utmAuto    bool    // the UTM zone follows the footprint's centre
}

// MaxPixels bounds the number of pixels of a target grid, so that a typo in
// a resolution is an error rather than an attempt at a terapixel output.
const MaxPixels = 1 << 34

// ParseArea parses an area specification:
//
//	EPSG:CODE:XMIN,YMIN,XMAX,YMAX:RES    explicit bounds in the CRS's units
//	EPSG:CODE:RES                        the input's footprint in that CRS
//	latlon:RES  latlon:BOUNDS:RES        EPSG:4326 (degrees)
//	utm:ZONE{n|s}:RES  utm:ZONE{n|s}:BOUNDS:RES   WGS 84 / UTM (EPSG:326zz, 327zz)
//	utm:auto:RES                         the UTM zone of the footprint's centre
//	polar:n:RES  polar:s:RES             NSIDC polar stereographic (EPSG:3413, 3976)
//
// RES is one pixel size for both axes, or RESXxRESY (e.g. 0.02x0.01).
// Examples: "EPSG:4326:-125,35,-115,42:0.02", "latlon:0.02", "utm:10n:2000".
func ParseArea(spec string) (Area, error) {
	fail := func(format string, args ...any) (Area, error) {
		return Area{}, fmt.Errorf("resample: area %q: %s (want EPSG:CODE[:XMIN,YMIN,XMAX,YMAX]:RES, latlon[:BOUNDS]:RES, utm:ZONE{n|s}[:BOUNDS]:RES, utm:auto:RES or polar:{n|s}:RES)", spec, fmt.Sprintf(format, args...))
	}
	parts := strings.Split(strings.TrimSpace(spec), ":")
	var a Area
	var rest []string
	var err error
	switch strings.ToLower(parts[0]) {
	case "epsg":
		if len(parts) < 3 {
			return fail("missing code or resolution")
		}
		code, perr := strconv.Atoi(parts[1])
		if perr != nil {
			return fail("bad EPSG code %q", parts[1])
		}
		if a.CRS, err = proj.FromEPSG(code); err != nil {
			return fail("%v", err)
		}
		rest = parts[2:]
	case "latlon", "lonlat":
		a.CRS, _ = proj.FromEPSG(4326)
		rest = parts[1:]
	case "utm":
		if len(parts) < 3 {
			return fail("missing zone or resolution")
		}
		z := strings.ToLower(parts[1])
		if z == "auto" {
			a.utmAuto = true
			a.CRS, _ = proj.FromEPSG(32601) // replaced once the footprint is known
		} else {
			north := strings.HasSuffix(z, "n")
			if !north && !strings.HasSuffix(z, "s") {
				return fail("UTM zone %q needs a hemisphere, n or s (e.g. 10n)", parts[1])
			}
			zone, perr := strconv.Atoi(z[:len(z)-1])
			if perr != nil || zone < 1 || zone > 60 {
				return fail("bad UTM zone %q (1-60)", parts[1])
			}
			code := 32600 + zone
			if !north {
				code = 32700 + zone
			}
			a.CRS, _ = proj.FromEPSG(code)
		}
		rest = parts[2:]
	case "polar":
		if len(parts) != 3 {
			return fail("want polar:n:RES or polar:s:RES")
		}
		switch strings.ToLower(parts[1]) {
		case "n":
			a.CRS, _ = proj.FromEPSG(3413)
		case "s":
			a.CRS, _ = proj.FromEPSG(3976)
		default:
			return fail("polar hemisphere %q, want n or s", parts[1])
		}
		rest = parts[2:]
	default:
		return fail("unknown CRS %q", parts[0])
	}
	switch len(rest) {
	case 1:
	case 2:
		if a.utmAuto {
			return fail("utm:auto takes no bounds (name the zone)")
		}
		b, berr := parseBounds(rest[0])
		if berr != nil {
			return fail("%v", berr)
		}
		a.Bounds = &b
		rest = rest[1:]
	default:
		return fail("want bounds and a resolution after the CRS")
	}
	if a.ResX, a.ResY, err = parseRes(rest[0]); err != nil {
		return fail("%v", err)
	}
	return a, nil
}

func parseBounds(s string) ([4]float64, error) {
	var b [4]float64
	f := strings.Split(s, ",")
	if len(f) != 4 {
		return b, fmt.Errorf("bounds %q: want XMIN,YMIN,XMAX,YMAX", s)
	}
	for i, v := range f {
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return b, fmt.Errorf("bounds %q: bad number %q", s, v)
		}
		b[i] = x
	}
	if !(b[2] > b[0] && b[3] > b[1]) {
		return b, fmt.Errorf("bounds %q: want XMIN < XMAX and YMIN < YMAX", s)
	}
	return b, nil
}

func parseRes(s string) (rx, ry float64, err error) {
	xs, ys, two := strings.Cut(strings.ToLower(s), "x")
	if !two {
		ys = xs
	}
	rx, err1 := strconv.ParseFloat(xs, 64)
	ry, err2 := strconv.ParseFloat(ys, 64)
	if err1 != nil || err2 != nil || !(rx > 0) || !(ry > 0) || math.IsInf(rx, 0) || math.IsInf(ry, 0) {
		return 0, 0, fmt.Errorf("resolution %q: want a positive pixel size, or RESXxRESY", s)
	}
	return rx, ry, nil
}

// Grid resolves the area over an input grid: explicit bounds become the
// grid as they are (a pixel size that does not divide them rounds the size
// up, as gdalwarp -te -tr does by extending); without bounds, the input's
// footprint is projected and widened to whole multiples of the resolution.
func (a Area) Grid(src Grid) (Grid, error) {
	if err := src.validate("input"); err != nil {
		return Grid{}, err
	}
	crs := a.CRS
	if a.utmAuto {
		lon, lat, ok := centre(src)
		if !ok {
			return Grid{}, fmt.Errorf("resample: utm:auto: the input's centre has no longitude")
		}
		code := 32600 + proj.UTMZone(lon)
		if lat < 0 {
			code += 100
		}
		var err error
		if crs, err = proj.FromEPSG(code); err != nil {
			return Grid{}, err
		}
	}
	var b [4]float64
	if a.Bounds != nil {
		b = *a.Bounds
	} else {
		fp, ok := footprint(src, crs)
		if !ok {
			return Grid{}, fmt.Errorf("resample: the input's footprint has no point in %s", crs)
		}
		b = [4]float64{math.Floor(fp[0]/a.ResX) * a.ResX, math.Floor(fp[1]/a.ResY) * a.ResY,
			math.Ceil(fp[2]/a.ResX) * a.ResX, math.Ceil(fp[3]/a.ResY) * a.ResY}
	}
	cols := math.Ceil((b[2]-b[0])/a.ResX - 1e-9)
	rows := math.Ceil((b[3]-b[1])/a.ResY - 1e-9)
	if rows*cols > MaxPixels || rows < 1 || cols < 1 {
		return Grid{}, fmt.Errorf("resample: target grid of %gx%g pixels (bounds %v, resolution %g x %g) is empty or over %d pixels", rows, cols, b, a.ResX, a.ResY, int64(MaxPixels))
	}
	g := Grid{CRS: crs, X0: b[0], Y0: b[3], DX: a.ResX, DY: -a.ResY, Shape: chunk.Shape{Rows: int(rows), Cols: int(cols)}}
	return g, g.validate("target")
}

func centre(src Grid) (lon, lat float64, ok bool) {
	return src.CRS.Proj.Inverse(src.Center(float64(src.Shape.Rows)/2, float64(src.Shape.Cols)/2))
}

// footprint returns the bounding box in crs of the input grid: pixel edges
// along its border and a 64x64 mesh inside it, each mapped to crs. When
// some of those points do not map (a full-disk image's corners are off the
// Earth; a target projection may not reach the whole scene), the edge of
// what maps is found along limbRays rays from the grid's centre, by
// bisection to a millionth of a pixel (near the limb a hundredth of a pixel
// is a tenth of a degree of latitude), so that the box reaches the limb
// instead of stopping at the last mesh point on the disk. ok is false when
// no sampled point maps.
func footprint(src Grid, crs proj.CRS) (b [4]float64, ok bool) {
	b = [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	missed := false
	project := func(row, col float64) (x, y float64, ok bool) {
		lon, lat, ok := src.CRS.Proj.Inverse(src.Center(row, col))
		if !ok {
			return 0, 0, false
		}
		return crs.Proj.Forward(lon, lat)
	}
	add := func(row, col float64) bool {
		x, y, ok1 := project(row, col)
		if !ok1 || math.IsNaN(x) || math.IsNaN(y) {
			missed = true
			return false
		}
		b[0], b[1], b[2], b[3] = min(b[0], x), min(b[1], y), max(b[2], x), max(b[3], y)
		ok = true
		return true
	}
	rows, cols := float64(src.Shape.Rows), float64(src.Shape.Cols)
	for i := 0.0; i <= cols; i++ {
		add(-0.5, i-0.5)
		add(rows-0.5, i-0.5)
	}
	for i := 0.0; i <= rows; i++ {
		add(i-0.5, -0.5)
		add(i-0.5, cols-0.5)
	}
	for i := 0; i <= 64; i++ {
		for j := 0; j <= 64; j++ {
			add(float64(i)/64*rows-0.5, float64(j)/64*cols-0.5)
		}
	}
	r0, c0 := rows/2-0.5, cols/2-0.5
	if !missed || !add(r0, c0) {
		return b, ok
	}
	for k := range limbRays {
		theta := 2 * math.Pi * float64(k) / limbRays
		dr, dc := math.Sin(theta), math.Cos(theta)
		// The ray's length to the grid's outer edge.
		t := math.Inf(1)
		if dr != 0 {
			t = min(t, (rows/2)/math.Abs(dr))
		}
		if dc != 0 {
			t = min(t, (cols/2)/math.Abs(dc))
		}
		if _, _, in := project(r0+t*dr, c0+t*dc); in {
			continue // the border sampling has it
		}
		lo, hi := 0.0, t // lo maps, hi does not
		for hi-lo > 1e-6 {
			mid := (lo + hi) / 2
			if _, _, in := project(r0+mid*dr, c0+mid*dc); in {
				lo = mid
			} else {
				hi = mid
			}
		}
		add(r0+lo*dr, c0+lo*dc)
	}
	return b, ok
}

// limbRays is how many rays from the centre footprint casts to find the
// edge of what maps: every half degree of direction.
const limbRays = 720
