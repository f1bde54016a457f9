package zarr

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"chunkpipe/formats"
)

// Describe writes an ncdump-like description of the whole store: the
// group's attributes, then each array with its shape, type, chunking,
// compressor, fill value, dimensions and attributes. Arrays chunkpipe
// cannot read (not 2-D, unsupported codec) are listed with the reason.
func (r *Reader) Describe(w io.Writer, o formats.DescribeOptions) error {
	bw := bufio.NewWriter(w)
	if r.name == "" {
		fmt.Fprintf(bw, "zarr array store %s\n", r.root)
		describeArray(bw, r.store, "", o)
		return bw.Flush()
	}
	fmt.Fprintf(bw, "zarr group store %s\n", r.root)
	if len(r.info.Global) > 0 {
		fmt.Fprintf(bw, "  group attributes:\n")
		writeAttrs(bw, "    ", r.info.Global, o)
	}
	arrays, err := listArrays(r.store)
	if _, ok := r.store.(*remoteStore); ok && err != nil {
		// An HTTP store without consolidated metadata cannot be listed:
		// describe the array that was opened.
		fmt.Fprintf(bw, "  (other arrays not listed: %v)\n", err)
		arrays, err = []member{{Path: r.name}}, nil
	}
	if err != nil {
		return fmt.Errorf("zarr: %s: %w", r.root, err)
	}
	for _, a := range arrays {
		describeArray(bw, r.store, a.Path, o)
	}
	return bw.Flush()
}

// describeArray writes one array's entry.
func describeArray(w io.Writer, s store, name string, o formats.DescribeOptions) {
	label := name
	if label == "" {
		label = "(root)"
	}
	b, err := readMeta(s, metaKey(name, zarrayFile))
	if err != nil {
		fmt.Fprintf(w, "  array %s: %v\n", label, err)
		return
	}
	m, err := parseArrayMeta(b)
	if err != nil {
		fmt.Fprintf(w, "  array %s: shape %v, not readable: %v\n", label, peekShape(b), err)
		return
	}
	order := "C"
	if m.FOrder {
		order = "F"
	}
	fill := "null"
	if m.Fill.Set {
		fill = fmt.Sprint(m.Fill.attr(m.Type.DType))
	}
	cr, cc := m.grid()
	fmt.Fprintf(w, "  array %s: %v %v (dtype %q)\n", label, m.Type.DType, m.Shape, m.Type.String())
	fmt.Fprintf(w, "    chunks %v (%dx%d grid, keys like %q), order %s, fill_value %s\n", m.Chunks, cr, cc, m.key(0, 0), order, fill)
	fmt.Fprintf(w, "    compressor %s\n", m.describeCompressor())
	attrs, dims, err := readAttrs(s, name)
	if err != nil {
		fmt.Fprintf(w, "    attributes: %v\n", err)
		return
	}
	if dims != nil {
		fmt.Fprintf(w, "    dimensions (%s)\n", strings.Join(dims, ", "))
	}
	if len(attrs) > 0 {
		fmt.Fprintf(w, "    attributes:\n")
		writeAttrs(w, "      ", attrs, o)
	}
}

func writeAttrs(w io.Writer, indent string, attrs formats.Attrs, o formats.DescribeOptions) {
	for _, a := range attrs {
		fmt.Fprintf(w, "%s%s = %s\n", indent, a.Name, o.Value(a.Value))
	}
}
