package cluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/flat"
	"chunkpipe/formats/geotiff"
	"chunkpipe/formats/netcdf3"
	"chunkpipe/formats/npy"
	"chunkpipe/formats/zarr"
)

// sharedOutput is the coordinator's side of an output that workers write
// into: it made the temporary store or file and commits or removes it.
type sharedOutput struct {
	spec    outputSpec
	zarr    *zarr.Writer
	staging string // zarr: where workers stage chunk files; geotiff: tile files
	file    *formats.AtomicFile
	nc      *netcdf3.Writer
	tiff    *tiffAssembly
}

// createOutput creates the output cs describes, to be written by workers.
func createOutput(cs formats.CreateSpec) (*sharedOutput, error) {
	o := &sharedOutput{spec: outputSpec{Target: cs.Path, Shape: cs.Shape, DType: cs.DType, Chunk: cs.Chunk, Options: cs.Options, Bands: cs.Bands}}
	ext := strings.ToLower(filepath.Ext(strings.TrimRight(cs.Path, "/")))
	if cs.Bands > 1 && ext != ".tif" && ext != ".tiff" {
		return nil, fmt.Errorf("cluster: output %s: %d bands are written to a .tif on a cluster", cs.Path, cs.Bands)
	}
	if v, ok := cs.Attrs.Get("_FillValue"); ok {
		f, ok := formats.ToFloats(v)
		if !ok {
			return nil, fmt.Errorf("cluster: output %s: _FillValue %v is not a number", cs.Path, v)
		}
		o.spec.Fill = strconv.FormatFloat(f, 'g', -1, 64)
	}
	switch ext {
	case ".zarr":
		w, err := zarr.Create(cs)
		if err != nil {
			return nil, err
		}
		o.zarr = w
		o.spec.Kind, o.spec.Dir = kindZarr, w.ArrayDir()
		o.spec.Variable = filepath.Base(w.ArrayDir())
		if o.staging, err = formats.CreateScratchDir(cs.Path, "staging"); err != nil {
			w.Abort()
			return nil, fmt.Errorf("cluster: output %s: %w", cs.Path, err)
		}
		o.spec.Staging = o.staging
	case ".npy":
		af, l, err := npy.CreateSized(cs)
		if err != nil {
			return nil, err
		}
		o.file = af
		o.spec.Kind, o.spec.File, o.spec.Offset = kindNpy, af.Name(), l.Offset
	case ".nc", ".nc3":
		w, err := netcdf3.Create(cs)
		if err != nil {
			return nil, err
		}
		o.nc = w
		o.spec.Kind = kindNetCDF
		o.spec.File, o.spec.Offset = w.DataFile()
	case ".tif", ".tiff":
		w, err := geotiff.NewWriter(cs)
		if err != nil {
			return nil, err
		}
		if o.staging, err = formats.CreateScratchDir(cs.Path, "staging"); err != nil {
			w.Abort()
			return nil, fmt.Errorf("cluster: output %s: %w", cs.Path, err)
		}
		o.tiff = &tiffAssembly{w: w, dtype: cs.DType, planes: max(cs.Bands, 1), staging: o.staging, ready: map[int]*result{}}
		o.spec.Kind, o.spec.Staging, o.spec.Tile = kindGeoTIFF, o.staging, w.TileShape()
	default:
		return nil, fmt.Errorf("cluster: output %s: format %q cannot be written by a cluster (use .zarr, .npy, .nc, .tif, or a chain ending in stats or histogram)", cs.Path, ext)
	}
	return o, nil
}

// taskDone takes a done task's result: the elements its chunks stored
// (NetCDF counts them toward the whole array) and its encoded tiles
// (GeoTIFF).
func (o *sharedOutput) taskDone(res *result, elements int64) error {
	switch {
	case o.nc != nil:
		o.nc.AddWritten(elements)
	case o.tiff != nil:
		return o.tiff.add(res)
	}
	return nil
}

// commit makes the output appear at its target.
func (o *sharedOutput) commit() error {
	defer o.cleanup()
	switch {
	case o.zarr != nil:
		return o.zarr.Commit()
	case o.nc != nil:
		return o.nc.Commit()
	case o.tiff != nil:
		return o.tiff.w.Commit()
	}
	return o.file.Commit()
}

// abort removes the output.
func (o *sharedOutput) abort() {
	defer o.cleanup()
	switch {
	case o.zarr != nil:
		o.zarr.Abort()
	case o.nc != nil:
		o.nc.Abort()
	case o.tiff != nil:
		o.tiff.w.Abort()
	default:
		o.file.Abort()
	}
}

func (o *sharedOutput) cleanup() {
	if o.staging != "" {
		os.RemoveAll(o.staging)
	}
}

// chunkWriter is a worker's side of an output: it stores output regions
// (or, for GeoTIFF, encodes them into the task's result), then finishes
// the task.
type chunkWriter interface {
	write(ctx context.Context, a *chunk.Array, res *result) error
	finish(res *result) error
	close()
}

// openOutput opens a worker's writer for the output o describes.
func openOutput(o *outputSpec) (chunkWriter, error) {
	switch o.Kind {
	case kindZarr:
		cs := formats.CreateSpec{Path: o.Target, Shape: o.Shape, DType: o.DType, Chunk: o.Chunk, Variable: o.Variable, Options: o.Options}
		if o.Fill != "" {
			f, err := strconv.ParseFloat(o.Fill, 64)
			if err != nil {
				return nil, fmt.Errorf("cluster: output %s: fill value %q: %w", o.Target, o.Fill, err)
			}
			cs.Attrs = formats.Attrs{{Name: "_FillValue", Value: f}}
		}
		w, err := zarr.OpenShared(cs, o.Dir, o.Staging)
		if err != nil {
			return nil, err
		}
		return zarrChunks{w}, nil
	case kindNpy:
		f, err := os.OpenFile(o.File, os.O_WRONLY, 0)
		if err != nil {
			return nil, fmt.Errorf("cluster: output %s: %w", o.Target, err)
		}
		return &npyRows{f: f, l: flat.Layout{Offset: o.Offset, Shape: o.Shape, DType: o.DType}, target: o.Target}, nil
	case kindNetCDF:
		f, err := os.OpenFile(o.File, os.O_WRONLY, 0)
		if err != nil {
			return nil, fmt.Errorf("cluster: output %s: %w", o.Target, err)
		}
		return &netcdfRows{f: f, begin: o.Offset, shape: o.Shape, target: o.Target}, nil
	case kindGeoTIFF:
		return openTileEncoder(o)
	}
	return nil, fmt.Errorf("cluster: output %s: unknown kind %q", o.Target, o.Kind)
}

type zarrChunks struct{ w *zarr.Writer }

func (z zarrChunks) write(ctx context.Context, a *chunk.Array, _ *result) error {
	return z.w.WriteRegion(ctx, a)
}
func (z zarrChunks) finish(*result) error { return nil }
func (z zarrChunks) close()               {}

// npyRows pwrites regions into the coordinator's preallocated .npy file.
type npyRows struct {
	f      *os.File
	l      flat.Layout
	target string
}

func (n *npyRows) write(_ context.Context, a *chunk.Array, _ *result) error {
	if err := flat.WriteRegion(n.f, n.l, a); err != nil {
		return fmt.Errorf("npy: %s: %w", n.target, err)
	}
	return nil
}

func (n *npyRows) finish(*result) error { return nil }
func (n *npyRows) close()               { n.f.Close() }

// netcdfRows pwrites regions, big-endian, into the data variable of the
// coordinator's NetCDF classic file.
type netcdfRows struct {
	f      *os.File
	begin  int64
	shape  chunk.Shape
	target string
}

func (n *netcdfRows) write(ctx context.Context, a *chunk.Array, _ *result) error {
	if err := netcdf3.WriteRegionAt(ctx, n.f, n.begin, n.shape, a); err != nil {
		return fmt.Errorf("%s: %w", n.target, err)
	}
	return nil
}

func (n *netcdfRows) finish(*result) error { return nil }
func (n *netcdfRows) close()               { n.f.Close() }
