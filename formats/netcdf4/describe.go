package netcdf4

import (
	"fmt"
	"io"
	"strings"

	"chunkpipe/formats"
	"chunkpipe/formats/hdf5"
)

// Describe prints the file's structure the way `ncdump -hs` does: groups,
// their dimensions, variables with their dimensions, types and attributes,
// storage chunks and filters.
func (r *Reader) Describe(w io.Writer, o formats.DescribeOptions) error {
	fmt.Fprintf(w, "%s %s (HDF5 superblock v%d) {\n", r.info.Format, r.file.Name(), r.file.SuperblockVersion())
	describeGroup(w, r.file.Root(), "", o)
	fmt.Fprintln(w, "}")
	return nil
}

// groupDims returns the named dimensions the group's variables use, in
// order of first use, with their lengths.
func groupDims(g *hdf5.Group) (names []string, sizes map[string]uint64) {
	sizes = map[string]uint64{}
	for _, ds := range g.Datasets() {
		shape := ds.Shape()
		for i, d := range ds.Dims() {
			if d == "" || i >= len(shape) {
				continue
			}
			if _, seen := sizes[d]; !seen {
				names = append(names, d)
			}
			sizes[d] = uint64(shape[i])
		}
	}
	return names, sizes
}

func describeGroup(w io.Writer, g *hdf5.Group, indent string, o formats.DescribeOptions) {
	in := indent + "  "
	if names, sizes := groupDims(g); len(names) > 0 {
		fmt.Fprintf(w, "%sdimensions:\n", indent)
		for _, d := range names {
			fmt.Fprintf(w, "%s%s = %d ;\n", in, d, sizes[d])
		}
	}
	// NetCDF-4 dimensions that are not variables (dimension scales whose
	// NAME says so) are listed under dimensions only, as ncdump does: their
	// stored values are meaningless fill.
	var vars []*hdf5.Dataset
	for _, ds := range g.Datasets() {
		if !ds.IsDimensionOnly() {
			vars = append(vars, ds)
		}
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
			fmt.Fprintf(w, "%s  %s:%s = %s\n", in, ds.Name(), a.Name, attrText(a, o))
		}
	}
	if attrs := g.Attrs(); len(attrs) > 0 {
		if g.Path() == "/" {
			fmt.Fprintf(w, "%s// global attributes:\n", indent)
		} else {
			fmt.Fprintf(w, "%s// group attributes:\n", indent)
		}
		for _, a := range attrs {
			fmt.Fprintf(w, "%s  :%s = %s\n", in, a.Name, attrText(a, o))
		}
	}
	for _, sub := range g.Groups() {
		fmt.Fprintf(w, "%sgroup: %s {\n", indent, sub.Name())
		describeGroup(w, sub, in, o)
		fmt.Fprintf(w, "%s}\n", indent)
	}
}

func attrText(a hdf5.Attribute, o formats.DescribeOptions) string {
	if s, ok := a.AsString(); ok {
		return o.Quote(s)
	}
	return o.Value(a.Value)
}
