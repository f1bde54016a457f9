package plan

import (
	"fmt"
	"runtime"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// elemBytes is the size of the working data's elements (float32).
const elemBytes = 4

// Workers caps: kernel workers beyond MaxWorkersPerCPU per CPU, and beyond
// the larger of the chunk count and MinUsefulWorkersPerCPU per CPU, only
// cost memory (each worker holds chunks in flight and queue slots), so a
// plan lowers them and says so in its notes.
const (
	MaxWorkersPerCPU       = 64
	MinUsefulWorkersPerCPU = 4
)

// RowMajor reports whether the format that writes output stores its array
// row after row (a registered property, [formats.Format].RowMajor). For a
// reduction (output "") it is the input format's property.
func RowMajor(output string, info formats.Info) bool {
	if output != "" {
		f, err := formats.ForOutput(output)
		return err == nil && f.RowMajor
	}
	f, ok := formats.Lookup(info.Format)
	return ok && f.RowMajor
}

// Grid lays e's chunk spec over info's array for a chain whose chunks
// must be multiples of factor (coarsen), with strips preferred when
// rowMajor. Auto aims at [chunk.DefaultAutoBytes] per chunk, less when
// e.MemLimit asks for it (see [autoBytes]); full-width strips are chosen
// only while a strip of the minimum height stays within twice that
// target, so a very wide array gets chunks that split its columns.
func Grid(info formats.Info, e Engine, factor int, rowMajor bool) (chunk.Grid, error) {
	workers := e.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	target := autoBytes(e, workers)
	l := chunk.Layout{Shape: info.Shape, ElemBytes: elemBytes, Storage: info.Storage, Workers: workers,
		Multiple: factor, AutoBytes: target, RowStrips: rowMajor && stripFits(info, target)}
	g, err := e.Chunks.Resolve(l)
	if err != nil {
		return chunk.Grid{}, bad(err)
	}
	return g, nil
}

// stripFits reports whether a full-width strip as high as one storage
// chunk row (or one row) stays within twice target bytes of working data.
func stripFits(info formats.Info, target int64) bool {
	rows := int64(max(info.Storage.Rows, 1))
	return rows*int64(info.Shape.Cols)*elemBytes <= 2*target
}

// minAutoBytes is the smallest chunk auto chooses to fit a memory limit:
// below it per-chunk costs dominate, and a limit that small is refused
// by the pipeline instead.
const minAutoBytes = 64 << 10

// autoBytes is auto chunking's target bytes per chunk: the default, or
// under a memory limit the share of it that lets every kernel worker and
// the read and write stages hold a chunk and its output at once.
func autoBytes(e Engine, workers int) int64 {
	target := int64(chunk.DefaultAutoBytes)
	if e.MemLimit > 0 {
		share := e.MemLimit / int64(2*(workers+2))
		target = min(target, max(share, minAutoBytes))
	}
	return target
}

// capWorkers lowers a worker count n (named by flag) that cannot be of use
// on chunks chunks (-1: not known yet, only the per-CPU bound applies),
// and returns a note saying so ("" when n stays).
func capWorkers(n *int, flag string, chunks int) string {
	cpus := runtime.NumCPU()
	limit := MaxWorkersPerCPU * cpus
	if chunks >= 0 {
		limit = min(limit, max(chunks, MinUsefulWorkersPerCPU*cpus))
	}
	if *n <= limit {
		return ""
	}
	note := fmt.Sprintf("%s %d lowered to %d: more only cost memory on %d CPUs", flag, *n, limit, cpus)
	if chunks >= 0 && limit < MaxWorkersPerCPU*cpus {
		note += fmt.Sprintf(" and %d chunks", chunks)
	}
	*n = limit
	return note
}
