package plan

import (
	"context"
	"errors"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/pipeline"
)

// Request is a run as a user asks for it. Its zero value is not a valid
// request (it has no input); every other zero field has a default.
type Request struct {
	// Inputs are input paths (globs already expanded, see [ExpandInputs]);
	// raw inputs may be spelled PATH:DTYPE:ROWSxCOLS. Several inputs, or an
	// Output pattern, make a batch; with Expr or RGB they are band-math
	// inputs named by their ABI band.
	Inputs []string
	// Bands are named band-math inputs (--band NAME=PATH).
	Bands []Band
	// Output is the output path (its extension picks the format), or for a
	// batch a pattern with {stem}, {name}, {band} or {dir}. For a chain
	// ending in a reduction it is an optional JSON file for the result.
	Output string
	// Kernels is the kernel chain as typed, e.g. "calibrate,bt"; "" copies
	// the input unchanged. With band math it runs after the expression.
	Kernels string
	// Params are parameter overrides, NAME=VALUE, applied after the
	// file's attributes and scalar variables.
	Params []string
	// Preset names a set of kernel parameters applied under the file's own
	// and Params (see [kernels.Preset]); "" for none.
	Preset string
	// Open says how to open the inputs.
	Open InputOptions
	// Expr is a band-math expression over the named inputs; RGB a recipe
	// name or three expressions "R,G,B" for a PNG composite; Grid the
	// band-math target grid (coarsest, finest or an input's name; ""
	// is coarsest).
	Expr, RGB, Grid string
	// Resample, when its Area is set, puts every input onto a map grid
	// before the kernel chain runs.
	Resample Resampling
	// Engine holds the chunk spec, worker counts, lock mode and limits.
	Engine Engine
	// WriterOptions are the writers' KEY=VALUE options (compress, cog,
	// max-size, colormap).
	WriterOptions map[string]string
	// Overwrite allows replacing existing outputs (never an input).
	Overwrite bool
	// Stack writes the inputs as the bands of one multi-band output (.tif),
	// each band through the chain with its own input's parameters. One
	// multi-band input written to a .tif without a Variable stacks its
	// bands without it.
	Stack bool
	// FailFast stops a batch at its first failed file.
	FailFast bool
	// SpecOnly plans the jobs without creating their writers: each job's
	// Spec describes its output, for engines whose workers write outputs
	// themselves (the cluster). Targets are still checked.
	SpecOnly bool
	// Trace makes the run record spans for traces and timelines.
	Trace bool
}

// Band is a named band-math input.
type Band struct {
	Name, Path string
}

// InputOptions say how to open an input.
type InputOptions struct {
	Variable string          // variable to read ("" for the format's default)
	Raw      formats.RawSpec // element type and shape of a headerless input
	// MaskDQF reads ABI pixels whose data quality flag exceeds MaskMax as
	// missing (MaskMax 0 keeps only good pixels); false reads them all.
	MaskDQF bool
	MaskMax int
	// Context bounds the fetches of remote (https://, s3://) inputs for
	// as long as they are open; nil is context.Background.
	Context context.Context
}

// Engine holds a run's execution settings; zero fields get defaults.
type Engine struct {
	Chunks         chunk.Spec        // chunk specification; the zero value is auto
	Workers        int               // kernel workers; 0: number of CPUs
	ReadWorkers    int               // 0: Workers
	WriteWorkers   int               // 0: Workers, or 1 for row-major outputs
	Lock           pipeline.LockMode // how kernel workers share the processor
	SwitchInterval time.Duration     // gil switch interval
	GILModel       pipeline.GILModel // what holds the gil
	GlueCost       time.Duration     // numpy gil model's glue per task
	// MemLimit, when positive, bounds the bytes of chunks in flight; auto
	// chunking then picks chunks small enough to fit it.
	MemLimit int64
}

// RequestError marks an error in the request itself (a bad chain, chunk
// spec, parameter or combination of options), as opposed to a failure
// reading or writing data. Command-line tools report it as a usage error.
type RequestError struct{ Err error }

// Error returns the underlying message.
func (e *RequestError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *RequestError) Unwrap() error { return e.Err }

// bad wraps err as a [RequestError]; nil stays nil.
func bad(err error) error {
	if err == nil {
		return nil
	}
	var re *RequestError
	if errors.As(err, &re) {
		return err
	}
	return &RequestError{err}
}
