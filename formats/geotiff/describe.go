package geotiff

import (
	"bufio"
	"chunkpipe/formats"
	"fmt"
	"io"
	"strings"
)

// maxDescribeValues bounds how many values of an array tag Describe prints.
const maxDescribeValues = 8

var typeNames = map[uint16]string{
	typeByte: "BYTE", typeASCII: "ASCII", typeShort: "SHORT", typeLong: "LONG", typeRational: "RATIONAL",
	typeSByte: "SBYTE", typeUndefined: "UNDEFINED", typeSShort: "SSHORT", typeSLong: "SLONG",
	typeSRational: "SRATIONAL", typeFloat: "FLOAT", typeDouble: "DOUBLE", typeIFD: "IFD",
	typeLong8: "LONG8", typeSLong8: "SLONG8", typeIFD8: "IFD8",
}

// Describe prints the file's structure: the header, every IFD with all its
// tags, the image layout (tiling, compression, predictor, bands),
// georeferencing, GDAL metadata and the overviews.
func (r *Reader) Describe(w io.Writer, o formats.DescribeOptions) error {
	bw := bufio.NewWriter(w)
	kind, order := "classic TIFF", "little-endian (II)"
	if r.st.big {
		kind = "BigTIFF"
	}
	if r.st.order.String() == "BigEndian" {
		order = "big-endian (MM)"
	}
	fmt.Fprintf(bw, "%s: %s, %s, %d bytes, %d IFD(s)\n", r.path, kind, order, r.st.size, len(r.st.ifds))
	fmt.Fprintf(bw, "selected: band %d of %d, %s\n", r.band+1, r.main.spp, r.role(r.img))
	for i, d := range r.st.ifds {
		im := r.images[i]
		fmt.Fprintf(bw, "\nIFD %d at offset %d", i, d.Offset)
		if im != nil {
			fmt.Fprintf(bw, ": %s\n", r.role(im))
			describeImage(bw, im)
		} else {
			fmt.Fprintf(bw, ": not readable: %v\n", r.errs[i])
		}
		fmt.Fprintf(bw, "  tags:\n")
		for _, f := range d.Fields {
			fmt.Fprintf(bw, "    %s (%d) %s[%d] = %s\n", tagName(f.Tag), f.Tag, typeNames[f.Type], f.Count, fieldValue(&f, o))
		}
	}
	fmt.Fprintf(bw, "\nbands:\n")
	for b := 0; b < r.main.spp; b++ {
		fmt.Fprintf(bw, "  band:%d %v", b+1, r.main.dtype)
		if r.hasFil {
			fmt.Fprintf(bw, ", nodata %s", formatNoData(r.fill))
		}
		for _, it := range r.meta {
			if it.Sample == fmt.Sprint(b) && it.Role != "" {
				fmt.Fprintf(bw, ", %s %s", it.Role, strings.TrimSpace(it.Value))
			}
		}
		fmt.Fprintln(bw)
	}
	fmt.Fprintf(bw, "overviews: %d", len(r.ovrs))
	for k, o := range r.ovrs {
		fmt.Fprintf(bw, "%s overview:%d %dx%d", map[bool]string{true: "", false: ","}[k == 0], k+1, o.height, o.width)
	}
	fmt.Fprintln(bw)
	fmt.Fprintf(bw, "georeferencing:")
	if r.geo == nil {
		fmt.Fprintf(bw, " none\n")
	} else {
		fmt.Fprintln(bw)
		if gt, ok := r.geo.GeoTransform(); ok {
			fmt.Fprintf(bw, "  geotransform %v\n", gt)
		} else if len(r.geo.Tiepoints) >= 6 {
			fmt.Fprintf(bw, "  %d ground control points (no geotransform)\n", len(r.geo.Tiepoints)/6)
		}
		if code, ok := r.geo.EPSG(); ok {
			fmt.Fprintf(bw, "  CRS EPSG:%d\n", code)
		}
		fmt.Fprint(bw, r.geo.describeKeys("  "))
	}
	if len(r.meta) > 0 {
		fmt.Fprintf(bw, "GDAL metadata:\n")
		for _, it := range r.meta {
			fmt.Fprintf(bw, "  %s", it.Name)
			if it.Sample != "" {
				fmt.Fprintf(bw, " (band %s)", it.Sample)
			}
			if it.Role != "" {
				fmt.Fprintf(bw, " [%s]", it.Role)
			}
			fmt.Fprintf(bw, " = %s\n", o.Cut(strings.TrimSpace(it.Value)))
		}
	}
	return bw.Flush()
}

// role names what an image is: main image, overview K or mask.
func (r *Reader) role(im *image) string {
	if im == r.main {
		return "main image"
	}
	for k, o := range r.ovrs {
		if o == im {
			return fmt.Sprintf("overview:%d", k+1)
		}
	}
	if im.isMask() {
		return "mask"
	}
	return fmt.Sprintf("image (NewSubfileType %d)", im.subfile)
}

// describeImage prints the layout of an image.
func describeImage(w io.Writer, im *image) {
	il := "pixel interleaved"
	if im.planar == 2 {
		il = "planar"
	}
	fmt.Fprintf(w, "  %d rows x %d cols, %d band(s) of %v, %s\n", im.height, im.width, im.spp, im.dtype, il)
	layout := "tiles"
	if !im.tiled {
		layout = "strips"
	}
	fmt.Fprintf(w, "  %s of %dx%d (rows x cols), %d x %d blocks per band, compression %s, predictor %d\n",
		layout, im.blockH, im.blockW, im.down, im.across, compressionName(im.compression), im.predictor)
}

// fieldValue renders a tag's values, shortening long arrays and strings
// unless o.Full.
func fieldValue(f *field, o formats.DescribeOptions) string {
	if f.Type == typeASCII {
		return o.Quote(f.ascii())
	}
	limit := maxDescribeValues
	if o.Full {
		limit = int(f.Count)
	}
	var vals []string
	if u, ok := f.uints(); ok {
		for i, v := range u {
			if i == limit {
				break
			}
			vals = append(vals, fmt.Sprint(v))
		}
	} else {
		for i, v := range f.floats() {
			if i == limit {
				break
			}
			vals = append(vals, formats.FormatNumber(v))
		}
	}
	s := strings.Join(vals, " ")
	if f.Count > uint64(limit) {
		s += fmt.Sprintf(" ... (%d values; --full shows all)", f.Count)
	}
	return s
}
