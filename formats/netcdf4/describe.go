package netcdf4

import (
	"fmt"
	"io"
	"strings"

	"chunkpipe/formats/hdf5"
)

// Describe prints the file's structure the way `ncdump -hs` does: groups,
// variables with their dimensions, types and attributes, storage chunks and
// filters.
func (r *Reader) Describe(w io.Writer) error {
	fmt.Fprintf(w, "%s %s (HDF5 superblock v%d) {\n", r.info.Format, r.file.Name(), r.file.SuperblockVersion())
	describeGroup(w, r.file.Root(), "")
	fmt.Fprintln(w, "}")
	return nil
}

// describeGroup prints one group. NetCDF-4 dimensions that are not
// variables (dimension scales whose NAME says so) are listed under
// dimensions, as ncdump does, not as variables: their stored values are
// meaningless fill.
func describeGroup(w io.Writer, g *hdf5.Group, indent string) {
	in := indent + "  "
	var vars []*hdf5.Dataset
	first := true
	for _, ds := range g.Datasets() {
		if !ds.IsDimensionOnly() {
			vars = append(vars, ds)
			continue
		}
		if first {
			fmt.Fprintf(w, "%sdimensions:\n", indent)
			first = false
		}
		n := 0
		if sh := ds.Shape(); len(sh) == 1 {
			n = sh[0]
		}
		fmt.Fprintf(w, "%s%s = %d ;\n", in, ds.Name(), n)
	}
	if len(vars) > 0 {
		fmt.Fprintf(w, "%svariables:\n", indent)
	}
	for _, ds := range vars {
		dims := ds.Dims()
		shape := ds.Shape()
		var parts []string
		for i, n := range shape {
			d := fmt.Sprint(n)
			if i < len(dims) && dims[i] != "" {
				d = fmt.Sprintf("%s=%d", dims[i], n)
			}
			parts = append(parts, d)
		}
		fmt.Fprintf(w, "%s%s %s(%s)", in, ds.DType(), ds.Name(), strings.Join(parts, ", "))
		if cs := ds.ChunkShape(); len(cs) > 0 {
			fmt.Fprintf(w, "  chunks %v", cs)
		} else {
			fmt.Fprintf(w, "  %s", ds.Layout())
		}
		if c := ds.Compression(); c != "" {
			fmt.Fprintf(w, "  %s", c)
		}
		fmt.Fprintln(w)
		for _, a := range ds.Attrs() {
			fmt.Fprintf(w, "%s  %s:%s = %s\n", in, ds.Name(), a.Name, attrText(a))
		}
	}
	if attrs := g.Attrs(); len(attrs) > 0 {
		if g.Path() == "/" {
			fmt.Fprintf(w, "%s// global attributes:\n", indent)
		} else {
			fmt.Fprintf(w, "%s// group attributes:\n", indent)
		}
		for _, a := range attrs {
			fmt.Fprintf(w, "%s  :%s = %s\n", in, a.Name, attrText(a))
		}
	}
	for _, sub := range g.Groups() {
		fmt.Fprintf(w, "%sgroup: %s {\n", indent, sub.Name())
		describeGroup(w, sub, in)
		fmt.Fprintf(w, "%s}\n", indent)
	}
}

func attrText(a hdf5.Attribute) string {
	if s, ok := a.AsString(); ok {
		if len(s) > 100 {
			s = s[:97] + "..."
		}
		return fmt.Sprintf("%q", s)
	}
	s := fmt.Sprint(a.Value)
	if len(s) > 100 {
		s = s[:97] + "..."
	}
	return s
}
