package pipeline

import (
	"fmt"

	"chunkpipe/chunk"
)

// Stage names used in errors, timings and traces.
const (
	StageRead    = "read"
	StageKernel  = "kernel"
	StageReduce  = "reduce"
	StageWrite   = "write"
	StageLock    = "lock-wait"
	StageDecode  = "decode"
	StageCompute = "compute"
	StageGlue    = "glue"
	StageCopy    = "copy"
	StageIOWait  = "io-wait"
)

// ChunkError is an error that happened while one chunk went through one
// stage. Its message reads like
//
//	pipeline: read chunk 12 (1,4) (1024,4096)-(2048,5120) of scan.nc: ...
type ChunkError struct {
	Stage  string       // StageRead, StageKernel, StageReduce or StageWrite
	Index  chunk.Index  // the chunk's grid position
	Number int          // the chunk's row-major number
	Region chunk.Region // the chunk's region (input coordinates)
	Input  string       // the input's name (file and variable)
	Output string       // the output's name, for write errors
	Err    error
}

// Error formats the error with its stage, chunk, region and file.
func (e *ChunkError) Error() string {
	where := e.Input
	if e.Stage == StageWrite && e.Output != "" {
		where = e.Output
	}
	if where != "" {
		where = " of " + where
	}
	return fmt.Sprintf("pipeline: %s chunk %d %v %v%s: %v", e.Stage, e.Number, e.Index, e.Region, where, e.Err)
}

// Unwrap returns the underlying error.
func (e *ChunkError) Unwrap() error { return e.Err }
