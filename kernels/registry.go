package kernels

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"chunkpipe/chunk"
)

// Doc describes one kernel or reducer for the `chunkpipe kernels` listing.
type Doc struct {
	Name    string   // e.g. "blur"
	Usage   string   // as typed, e.g. "blur:N[:BOUNDARY]"
	Summary string   // one sentence
	Params  []string // Params entries it reads (file attributes, flags)
	Halo    string   // elements read beyond its block, e.g. "N/2"
	Output  string   // dtype and shape of its output
	reducer bool
	kernel  func(args []string, p Params) (Kernel, error)
	reduce  func(args []string) (Reducer, error)
}

// IsReducer reports whether the entry is a reducer (it may only end a chain).
func (d Doc) IsReducer() bool { return d.reducer }

var registry = []Doc{
	{
		Name: "calibrate", Usage: "calibrate",
		Summary: "CF decoding of raw counts to radiance: _Unsigned, _FillValue/missing_value/valid_range to NaN, then float32(raw)*scale_factor + add_offset.",
		Params:  []string{"scale_factor", "add_offset", "_FillValue", "missing_value", "valid_range", "valid_min", "valid_max", "_Unsigned"},
		Halo:    "0",
		Output:  "float32, same shape (reads any stored dtype)",
		kernel: func(a []string, p Params) (Kernel, error) {
			return noArgs(a, "calibrate", func() (Kernel, error) { return NewCalibrate(p) })
		},
	},
	{
		Name: "reflectance", Usage: "reflectance",
		Summary: "ABI reflective bands: reflectance factor = radiance * kappa0.",
		Params:  []string{"kappa0"},
		Halo:    "0",
		Output:  "float32, same shape",
		kernel: func(a []string, p Params) (Kernel, error) {
			return noArgs(a, "reflectance", func() (Kernel, error) { return NewReflectance(p) })
		},
	},
	{
		Name: "bt", Usage: "bt",
		Summary: "ABI emissive bands: brightness temperature (FK2/log(FK1/rad+1) - BC1)/BC2 in float32.",
		Params:  []string{"planck_fk1", "planck_fk2", "planck_bc1", "planck_bc2"},
		Halo:    "0",
		Output:  "float32, same shape",
		kernel: func(a []string, p Params) (Kernel, error) {
			return noArgs(a, "bt", func() (Kernel, error) { return NewBT(p) })
		},
	},
	{
		Name: "abi", Usage: "abi",
		Summary: "ABI physical units: reflectance (x kappa0) for reflective bands 1-6, brightness temperature for emissive bands 7-16, chosen from the file's constants.",
		Params:  []string{"kappa0", "planck_fk1", "planck_fk2", "planck_bc1", "planck_bc2"},
		Halo:    "0",
		Output:  "float32, same shape",
		kernel: func(a []string, p Params) (Kernel, error) {
			return noArgs(a, "abi", func() (Kernel, error) { return NewABIPhysical(p) })
		},
	},
	{
		Name: "blur", Usage: "blur:N[:reflect|nearest|none|constant:V]",
		Summary: "NaN-ignoring N x N box mean (N odd), bit-identical for any chunking.",
		Halo:    "N/2 (boundary reflect by default: scipy.ndimage and dask reflect, which is numpy.pad symmetric)",
		Output:  "float32, same shape",
		kernel: func(a []string, _ Params) (Kernel, error) {
			n, b, err := sizeAndBoundary("blur", a)
			if err != nil {
				return nil, err
			}
			return NewBlur(n, b)
		},
	},
	{
		Name: "median", Usage: "median:N[:reflect|nearest|none|constant:V]",
		Summary: "NaN-ignoring N x N median (N odd; numpy.nanmedian semantics); deliberately CPU-heavy.",
		Halo:    "N/2 (boundary reflect by default: scipy.ndimage and dask reflect, which is numpy.pad symmetric)",
		Output:  "float32, same shape",
		kernel: func(a []string, _ Params) (Kernel, error) {
			n, b, err := sizeAndBoundary("median", a)
			if err != nil {
				return nil, err
			}
			return NewMedian(n, b)
		},
	},
	{
		Name: "coarsen", Usage: "coarsen:N",
		Summary: "NaN-ignoring N x N block mean; excess rows and columns are dropped.",
		Halo:    "0 (factor N)",
		Output:  "float32, shape / N rounded down",
		kernel: func(a []string, _ Params) (Kernel, error) {
			if len(a) != 1 {
				return nil, fmt.Errorf("kernels: coarsen wants one argument, coarsen:N")
			}
			n, err := intArg("coarsen", "factor", a[0])
			if err != nil {
				return nil, err
			}
			return NewCoarsen(n)
		},
	},
	{
		Name: "noop", Usage: "noop",
		Summary: "Copies its input (measures the pipeline's own overhead).",
		Halo:    "0",
		Output:  "float32, same shape",
		kernel: func(a []string, _ Params) (Kernel, error) {
			return noArgs(a, "noop", func() (Kernel, error) { return Noop{}, nil })
		},
	},
	{
		Name: "primes", Usage: "primes",
		Summary: "1 where int(|value|) is prime, else 0, by naive trial division: a CPU-bound pure kernel (the talk's primes.py).",
		Halo:    "0",
		Output:  "float32, same shape",
		kernel: func(a []string, _ Params) (Kernel, error) {
			return noArgs(a, "primes", func() (Kernel, error) { return Primes{}, nil })
		},
	},
	{
		Name: "sleep", Usage: "sleep:MS",
		Summary: "Waits MS milliseconds per chunk with the lock released, then copies its input: stands for I/O.",
		Halo:    "0",
		Output:  "float32, same shape",
		kernel: func(a []string, _ Params) (Kernel, error) {
			if len(a) != 1 {
				return nil, fmt.Errorf("kernels: sleep needs a duration in milliseconds: sleep:MS")
			}
			ms, err := strconv.Atoi(a[0])
			if err != nil {
				return nil, fmt.Errorf("kernels: sleep:%s: %q is not a whole number of milliseconds", a[0], a[0])
			}
			return NewSleep(time.Duration(ms) * time.Millisecond)
		},
	},
	{
		Name: "stats", Usage: "stats", reducer: true,
		Summary: "count, nan_count, min, max, mean, std (population) and sum, accumulated exactly (same bits for any chunking).",
		Halo:    "0",
		Output:  "summary values",
		reduce: func(a []string) (Reducer, error) {
			if len(a) > 0 {
				return nil, fmt.Errorf("kernels: stats takes no arguments")
			}
			return Stats{}, nil
		},
	},
	{
		Name: "histogram", Usage: "histogram:BINS[:MIN:MAX]", reducer: true,
		Summary: "Equal-width histogram over [MIN, MAX] (numpy.histogram bins; without MIN:MAX, the data's range from a first pass), with NaN, below and above counts.",
		Halo:    "0",
		Output:  "edges, counts and summary values",
		reduce: func(a []string) (Reducer, error) {
			if len(a) != 1 && len(a) != 3 {
				return nil, fmt.Errorf("kernels: histogram wants histogram:BINS or histogram:BINS:MIN:MAX")
			}
			bins, err := intArg("histogram", "bin count", a[0])
			if err != nil {
				return nil, err
			}
			if len(a) == 1 {
				return NewHistogramAuto(bins)
			}
			lo, err1 := strconv.ParseFloat(strings.TrimSpace(a[1]), 64)
			hi, err2 := strconv.ParseFloat(strings.TrimSpace(a[2]), 64)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("kernels: histogram range %q:%q is not two numbers", a[1], a[2])
			}
			return NewHistogram(bins, lo, hi)
		},
	},
}

// Catalog returns the known kernels and reducers in listing order.
func Catalog() []Doc { return append([]Doc(nil), registry...) }

func lookup(name string) (Doc, bool) {
	for _, d := range registry {
		if d.Name == name {
			return d, true
		}
	}
	return Doc{}, false
}

func knownNames() string {
	names := make([]string, len(registry))
	for i, d := range registry {
		names[i] = d.Name
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// split separates "name:arg:..." into the lower-cased name and arguments.
func split(spec string) (string, []string) {
	parts := strings.Split(strings.TrimSpace(spec), ":")
	return strings.ToLower(strings.TrimSpace(parts[0])), parts[1:]
}

// ParseKernel parses one kernel (not a reducer), e.g. "blur:5:nearest",
// reading the parameters it needs from p.
func ParseKernel(spec string, p Params) (Kernel, error) {
	name, args := split(spec)
	d, ok := lookup(name)
	if !ok {
		return nil, fmt.Errorf("kernels: unknown kernel %q (known: %s)", name, knownNames())
	}
	if d.reducer {
		return nil, fmt.Errorf("kernels: %q is a reducer, not a kernel", name)
	}
	return d.kernel(args, p)
}

// ParseReducer parses one reducer, e.g. "stats" or "histogram:64:0:400".
func ParseReducer(spec string) (Reducer, error) {
	name, args := split(spec)
	d, ok := lookup(name)
	if !ok {
		return nil, fmt.Errorf("kernels: unknown reducer %q (known: %s)", name, knownNames())
	}
	if !d.reducer {
		return nil, fmt.Errorf("kernels: %q is a kernel, not a reducer", name)
	}
	return d.reduce(args)
}

// ParseChain parses a comma-separated chain such as
// "calibrate,bt,blur:5,coarsen:4,stats". A reducer may only be the last
// item. Kernels read their parameters from p (nil for none). Empty text
// gives the empty chain, which copies its input.
//
// Sizes: blur:N and median:N take odd N only (the window is centred on the
// pixel); coarsen:N takes any N >= 1. Errors name the item and, for an
// unknown name, list the known ones.
func ParseChain(text string, p Params) (*Chain, error) {
	var ks []Kernel
	var r Reducer
	if strings.TrimSpace(text) == "" {
		return NewChain(nil)
	}
	items := strings.Split(text, ",")
	for i, item := range items {
		if strings.TrimSpace(item) == "" {
			return nil, fmt.Errorf("kernels: chain %q: item %d is empty", text, i+1)
		}
		name, _ := split(item)
		d, ok := lookup(name)
		if !ok {
			return nil, fmt.Errorf("kernels: chain %q: unknown kernel %q (known: %s)", text, name, knownNames())
		}
		if d.reducer {
			if i != len(items)-1 {
				return nil, fmt.Errorf("kernels: chain %q: reducer %q must be the last item", text, name)
			}
			red, err := ParseReducer(item)
			if err != nil {
				return nil, err
			}
			r = red
			continue
		}
		k, err := ParseKernel(item, p)
		if err != nil {
			return nil, err
		}
		ks = append(ks, k)
	}
	c, err := NewChain(r, ks...)
	if err != nil {
		return nil, err
	}
	if p != nil {
		c.params = make(Params, len(p))
		for k, v := range p {
			c.params[k] = v
		}
	}
	return c, nil
}

func noArgs(args []string, name string, mk func() (Kernel, error)) (Kernel, error) {
	if len(args) > 0 {
		return nil, fmt.Errorf("kernels: %s takes no arguments", name)
	}
	return mk()
}

func intArg(kernel, what, s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("kernels: %s %s %q is not an integer", kernel, what, s)
	}
	return n, nil
}

// sizeAndBoundary parses N[:BOUNDARY] for the stencils.
func sizeAndBoundary(name string, args []string) (int, chunk.Boundary, error) {
	if len(args) == 0 {
		return 0, chunk.Boundary{}, fmt.Errorf("kernels: %s wants a size, %s:N", name, name)
	}
	n, err := intArg(name, "size", args[0])
	if err != nil {
		return 0, chunk.Boundary{}, err
	}
	var b chunk.Boundary
	if len(args) > 1 {
		if b, err = chunk.ParseBoundary(strings.Join(args[1:], ":")); err != nil {
			return 0, chunk.Boundary{}, fmt.Errorf("kernels: %s: %w", name, err)
		}
	}
	return n, b, nil
}
