package netcdf3

import (
	"context"
	"fmt"
	"io"
	"sync"

	"chunkpipe/chunk"
)

// DataFile returns the writer's temporary file and the byte offset of its
// data variable, so that other processes (a cluster's workers, on a
// shared filesystem) can store regions into it with [WriteRegionAt]
// before this writer commits it.
func (w *Writer) DataFile() (path string, begin int64) { return w.f.Name(), w.begin }

// AddWritten counts n elements that other processes stored with
// [WriteRegionAt] toward the whole array that Commit checks was written.
func (w *Writer) AddWritten(n int64) { w.written.Add(n) }

// WriteRegionAt stores a as [Writer.WriteRegion] does, into f: the file
// of another process's writer (see [Writer.DataFile]) whose data
// variable begins at byte begin and has the given shape and a's dtype.
func WriteRegionAt(ctx context.Context, f io.WriterAt, begin int64, shape chunk.Shape, a *chunk.Array) error {
	if a == nil || !shape.Bounds().Contains(a.Rect) || a.Rect.Row0 > a.Rect.Row1 || a.Rect.Col0 > a.Rect.Col1 {
		return fmt.Errorf("netcdf3: region outside the %v variable", shape)
	}
	if a.Rect.Empty() {
		return nil
	}
	if a.Stride < a.Rect.Cols() || len(a.Data) < ((a.Rect.Rows()-1)*a.Stride+a.Rect.Cols())*a.DType.Size() {
		return fmt.Errorf("netcdf3: region %v: %d bytes with stride %d are too few", a.Rect, len(a.Data), a.Stride)
	}
	bp := sharedBufs.Get().(*[]byte)
	defer sharedBufs.Put(bp)
	if err := storeRegion(ctx, f, begin, shape, a, *bp); err != nil {
		return fmt.Errorf("netcdf3: %w", err)
	}
	return nil
}

// sharedBufs holds WriteRegionAt's conversion buffers (*[]byte of
// writeBlock bytes), reused from chunk to chunk as a Writer's own are.
var sharedBufs = sync.Pool{New: func() any { b := chunk.AlignedBytes(writeBlock); return &b }}
