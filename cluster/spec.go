package cluster

import (
	"encoding/json"
	"fmt"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// Job is one run to distribute: an input on a filesystem every worker
// sees, a chain, the chunk grid and the output. Its zero Output means the
// chain ends in a reducer.
type Job struct {
	// ID names the job in subjects and Msg-Ids; empty: a random one.
	ID    string
	Input Input
	// Chain is the kernel chain as typed (e.g. "calibrate,bt" or
	// "calibrate,histogram:64"); Params are --param K=V overrides.
	Chain  string
	Params []string
	// Preset names the kernel parameter set under the file's own and
	// Params (see kernels.Preset); "" for none.
	Preset string
	// Grid is laid over the input; each task covers whole chunks of it.
	Grid chunk.Grid
	// Output describes the output file (.zarr, .npy, .nc or .tif); nil
	// for a chain that ends in a reducer.
	Output *formats.CreateSpec
	// Request, when set, is a request that plans to this one job (band
	// math, --stack, --resample): workers rebuild the job by planning it
	// and Chain, Params and Preset are not used; Input.Path names the job.
	// Its Output is the job's output path (or "" for a reduction).
	Request *PlanRequest
}

// Input says how every worker opens the job's input: the path (on a
// filesystem all workers share) and the formats.OpenOptions fields.
type Input struct {
	Path     string          `json:"path"`
	Variable string          `json:"var,omitempty"`
	Mask     string          `json:"mask,omitempty"`
	MaskMax  int64           `json:"mask_max,omitempty"`
	Raw      formats.RawSpec `json:"raw"`
}

// openOptions returns the formats.OpenOptions the input describes.
func (in Input) openOptions() formats.OpenOptions {
	return formats.OpenOptions{Variable: in.Variable, Mask: in.Mask, MaskMax: in.MaskMax, Raw: in.Raw}
}

// spec is what a worker needs to rebuild a job: everything in a task
// message but the chunk numbers.
type spec struct {
	Input  Input       `json:"input"`
	Chain  string      `json:"chain"`
	Params []string    `json:"params,omitempty"`
	Preset string      `json:"preset,omitempty"`
	Grid   chunk.Grid  `json:"grid"`
	Out    *outputSpec `json:"out,omitempty"`
	// Trace asks workers to send their spans with each result.
	Trace bool `json:"trace,omitempty"`
	// Plan, when set, is the request the planner lays this job out from
	// (band math, a stack, a resampled input); the worker plans it again
	// and Input, Chain, Params and Preset only name the job.
	Plan *PlanRequest `json:"plan,omitempty"`
}

// Output kinds a worker can write.
const (
	kindZarr    = "zarr"
	kindNpy     = "npy"
	kindNetCDF  = "netcdf3"
	kindGeoTIFF = "geotiff"
)

// outputSpec tells a worker where and how to store its chunks.
type outputSpec struct {
	Kind     string      `json:"kind"`
	Target   string      `json:"target"`            // the final path, for messages
	Dir      string      `json:"dir,omitempty"`     // zarr: the array's directory in the temporary store
	Staging  string      `json:"staging,omitempty"` // zarr: where chunk files are written before their rename; geotiff: tile files
	File     string      `json:"file,omitempty"`    // npy, netcdf3: the temporary file
	Offset   int64       `json:"offset,omitempty"`  // npy, netcdf3: where the data begins in File
	Tile     chunk.Shape `json:"tile,omitempty"`    // geotiff: the tile shape the coordinator's writer uses
	Bands    int         `json:"bands,omitempty"`   // geotiff: bands of a stack, pixel-interleaved
	Shape    chunk.Shape `json:"shape"`
	DType    chunk.DType `json:"dtype"`
	Chunk    chunk.Shape `json:"chunk"`
	Variable string      `json:"var,omitempty"`
	// Fill is the _FillValue formatted with strconv 'g' ("NaN" included),
	// empty when the spec has none.
	Fill    string            `json:"fill,omitempty"`
	Options map[string]string `json:"options,omitempty"`
}

// task is one task message: whole chunks First..First+Count-1 of a job.
type task struct {
	Job   string `json:"job"`
	First int    `json:"first"`
	Count int    `json:"count"`
	// Region is the union of the chunks' output regions, for logs.
	Region chunk.Region `json:"region"`
	Spec   *spec        `json:"spec"`
}

// taskIn is a task message as a worker decodes it: the job spec is
// decoded only the first time the worker sees the job.
type taskIn struct {
	Job    string          `json:"job"`
	First  int             `json:"first"`
	Count  int             `json:"count"`
	Region chunk.Region    `json:"region"`
	Spec   json.RawMessage `json:"spec"`
}

// msgID is the task's Msg-Id for publish dedupe.
func (t *task) msgID() string { return fmt.Sprintf("%s/%d", t.Job, t.First) }

// result is a worker's record of one task, published to the job's result
// subject. Err is set when the task failed; Final says it will not be
// retried.
type result struct {
	Job      string   `json:"job"`
	First    int      `json:"first"`
	Count    int      `json:"count"`
	Worker   string   `json:"worker"`
	Delivery uint64   `json:"delivery"`
	BusyNs   int64    `json:"busy_ns"`
	InBytes  int64    `json:"in_bytes"`
	Partials [][]byte `json:"partials,omitempty"` // one per chunk; nil where a chunk has none
	Err      string   `json:"err,omitempty"`
	Final    bool     `json:"final,omitempty"`
	// Spans are the task's spans when its job is traced.
	Spans []wireSpan `json:"spans,omitempty"`
	// Tiles are a GeoTIFF task's encoded tiles, in the order they go
	// into the file; their bytes are inline or in TileFile.
	Tiles    []tileRef `json:"tiles,omitempty"`
	TileFile string    `json:"tile_file,omitempty"`
}
