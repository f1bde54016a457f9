package netcdf3

import (
	"bufio"
	"chunkpipe/formats"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
)

// Describe prints the file's header in the CDL form of `ncdump -h`:
// dimensions, variables with their attributes, then global attributes.
// Numbers are written as ncdump writes them (type suffixes such as "s" for
// short and "f" for float; NaN and Infinity spelled out).
func (r *Reader) Describe(w io.Writer, _ formats.DescribeOptions) error {
	h := r.h
	bw := bufio.NewWriter(w)
	name := strings.TrimSuffix(filepath.Base(r.path), filepath.Ext(r.path))
	fmt.Fprintf(bw, "netcdf %s {\n", name)
	if len(h.dims) > 0 {
		fmt.Fprintf(bw, "dimensions:\n")
	}
	for _, d := range h.dims {
		if d.size == 0 {
			fmt.Fprintf(bw, "\t%s = UNLIMITED ; // (%d currently)\n", d.name, h.numrecs)
		} else {
			fmt.Fprintf(bw, "\t%s = %d ;\n", d.name, d.size)
		}
	}
	if len(h.vars) > 0 {
		fmt.Fprintf(bw, "variables:\n")
	}
	for i := range h.vars {
		v := &h.vars[i]
		var dims []string
		for _, id := range v.dimids {
			dims = append(dims, h.dims[id].name)
		}
		if len(dims) > 0 {
			fmt.Fprintf(bw, "\t%v %s(%s) ;\n", v.typ, v.name, strings.Join(dims, ", "))
		} else {
			fmt.Fprintf(bw, "\t%v %s ;\n", v.typ, v.name)
		}
		for j := range v.attrs {
			fmt.Fprintf(bw, "\t\t%s:%s = %s ;\n", v.name, v.attrs[j].name, cdlValue(&v.attrs[j]))
		}
	}
	if len(h.global) > 0 {
		fmt.Fprintf(bw, "\n// global attributes:\n")
	}
	for j := range h.global {
		fmt.Fprintf(bw, "\t\t:%s = %s ;\n", h.global[j].name, cdlValue(&h.global[j]))
	}
	fmt.Fprintf(bw, "}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("netcdf3: describe %s: %w", r.path, err)
	}
	return nil
}

var cdlSuffix = map[Type]string{Byte: "b", Short: "s", Ubyte: "UB", Ushort: "US", Uint: "U", Int64: "LL", Uint64: "ULL"}

// cdlValue formats an attribute's values as ncdump does.
func cdlValue(a *attr) string {
	if a.typ == Char {
		s := strings.TrimRight(string(a.bytes), "\x00")
		return strconv.Quote(s)
	}
	sz := a.typ.Size()
	parts := make([]string, 0, a.n)
	for i := 0; i+sz <= len(a.bytes); i += sz {
		b := a.bytes[i : i+sz]
		switch a.typ {
		case Float:
			parts = append(parts, cdlFloat(decodeFloat64s(Float, b)[0], 7)+"f")
		case Double:
			parts = append(parts, cdlFloat(decodeFloat64s(Double, b)[0], 15))
		case Uint64:
			parts = append(parts, strconv.FormatUint(uint64(decodeInt(Uint64, b)), 10)+"ULL")
		default:
			parts = append(parts, strconv.FormatInt(decodeInt(a.typ, b), 10)+cdlSuffix[a.typ])
		}
	}
	return strings.Join(parts, ", ")
}

func cdlFloat(f float64, digits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	s := strconv.FormatFloat(f, 'g', digits, 64)
	if mant, exp, ok := strings.Cut(s, "e"); ok {
		// C's %g writes at least two exponent digits: 1e+06, 1.5e-07.
		sign := exp[:1]
		exp = strings.TrimLeft(exp[1:], "0")
		for len(exp) < 2 {
			exp = "0" + exp
		}
		return mant + "e" + sign + exp
	}
	if !strings.ContainsAny(s, ".") {
		s += "."
	}
	return s
}
