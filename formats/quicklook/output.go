package quicklook

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
	"sync"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// errClosed is returned by writes after Commit or Abort.
var errClosed = errors.New("quicklook: output already committed or aborted")

// output is the part of [Writer] and [Composite] that handles the file: it
// feeds regions to downsamplers while open, and encodes and renames the
// picture on commit. Writes hold the read lock, so they run concurrently;
// commit and abort take the write lock and so wait for writes in flight.
type output struct {
	mu      sync.RWMutex
	closed  bool
	file    *formats.AtomicFile
	fill    float64 // values equal to fill are missing, when hasFill
	hasFill bool
	bufs    sync.Pool // *[]float64 row buffers
}

// newOutput creates the temporary file for spec.Path and reads the fill
// value from spec.Attrs.
func newOutput(spec formats.CreateSpec) (*output, error) {
	f, err := formats.CreateAtomic(spec.Path, spec.Overwrite)
	if err != nil {
		return nil, fmt.Errorf("quicklook: %w", err)
	}
	o := &output{file: f}
	if v, ok := spec.Attrs.Float("_FillValue"); ok && !math.IsNaN(v) {
		o.fill, o.hasFill = v, true
	}
	return o, nil
}

// add converts the rows of a to float64, marks fill values missing, and
// adds them to ds.
func (o *output) add(ctx context.Context, ds *Downsampler, a *chunk.Array) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkDType(a.DType); err != nil {
		return err
	}
	if !ds.InShape().Bounds().Contains(a.Rect) {
		return fmt.Errorf("quicklook: region %v outside the %v output", a.Rect, ds.InShape())
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	if o.closed {
		return errClosed
	}
	fill := o.fill
	if a.DType == chunk.Float32 {
		fill = float64(float32(fill)) // the fill as the data stores it
	}
	bp, _ := o.bufs.Get().(*[]float64)
	if bp == nil {
		bp = new([]float64)
	}
	defer o.bufs.Put(bp)
	for r := a.Rect.Row0; r < a.Rect.Row1; r++ {
		if (r-a.Rect.Row0)%256 == 255 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		row := Float64Row(*bp, a, r)
		*bp = row
		if o.hasFill {
			for i, v := range row {
				if v == fill {
					row[i] = math.NaN()
				}
			}
		}
		ds.AddRow(r, a.Rect.Col0, row)
	}
	return nil
}

// commit renders the picture, encodes it as PNG into the temporary file
// and renames that into place. On any error the file is removed.
func (o *output) commit(render func() image.Image) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return errClosed
	}
	o.closed = true
	img := render()
	bw := bufio.NewWriterSize(o.file, 1<<16)
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(bw, img); err != nil {
		o.file.Abort()
		return fmt.Errorf("quicklook: encode %s: %w", o.file.Target, err)
	}
	if err := bw.Flush(); err != nil {
		o.file.Abort()
		return fmt.Errorf("quicklook: write %s: %w", o.file.Target, err)
	}
	if err := o.file.Commit(); err != nil {
		return fmt.Errorf("quicklook: %w", err)
	}
	return nil
}

// abort removes the temporary file; it does nothing after a successful
// commit and is safe to call more than once.
func (o *output) abort() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closed = true
	return o.file.Abort()
}
