// Package plan turns a run request into pipeline jobs and runs them.
//
// A [Request] says what a user asked for: input files (or named band-math
// inputs with an expression), an output path or a batch pattern, a kernel
// chain as text, parameter overrides, how to open the inputs, and the
// engine settings. [Build] turns it into a [Plan]:
//
//	Request -> open inputs -> kernel parameters (attributes, scalar
//	variables, overrides) -> chain -> grid policy -> writers -> []Job
//
// Each [Job] is a [pipeline.Job] with the reader, writer and figures behind
// it. One input makes one job, several inputs (or an output pattern with
// {stem}, {name}, {band} or {dir}) a batch of one job per input, and
// band math one job over all its inputs; the three share the code that
// reads parameters, lays the grid and describes the output, so a single run
// and a batch of one plan identical jobs.
//
// The grid policy is decided from the formats' registered properties
// ([formats.Format].RowMajor), never from file names: auto chunking prefers
// full-width strips when the output is stored row after row, as long as a
// strip stays within a bounded number of bytes; wider arrays get chunks that
// split the columns, so memory is bounded by the chunk size and never by the
// array's width. A memory limit makes auto choose smaller chunks, and
// worker counts are capped (see [Engine]).
//
// Output attributes come from the chain: kernels that change what the
// values mean implement [kernels.Describer] (bt says kelvin, reflectance
// says "1"), and the output variable is named after the input variable.
//
// [Plan.Run] runs the jobs through one worker pool: first the range pass a
// histogram without explicit limits needs, then every job; it commits each
// writer whose job succeeded and aborts every other one, so a failed or
// cancelled run leaves no output and no temporary file. [Plan.Close]
// releases the inputs and aborts whatever was not committed; it is safe to
// call after Run and more than once.
//
// The package imports formats, kernels, bandmath and pipeline, and never a
// user-interface package: progress arrives through a hook, and the caller
// prints reports and notes.
package plan
