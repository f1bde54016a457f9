package pipeline

// GILNote says how one kernel or reducer behaves under the gil lock mode,
// for the `chunkpipe kernels -v` listing: with the python model (compute
// holds the lock) and with the numpy model (compute releases it and only
// per-task glue holds it). Kernels themselves know nothing of locks; these
// notes belong to the lock laboratory.
type GILNote struct {
	Python string
	Numpy  string
}

// gilNotes holds the notes by kernel name.
var gilNotes = map[string]GILNote{
	"calibrate": {
		Python: "holds the lock for the whole chunk (one decoding pass per element): no speed-up from more workers",
		Numpy:  "astype/multiply/add/masking are ufuncs that release the lock; only the per-chunk call holds it, so workers scale",
	},
	"reflectance": {
		Python: "holds the lock for the whole chunk: no speed-up from more workers",
		Numpy:  "one multiply ufunc that releases the lock; workers scale",
	},
	"bt": {
		Python: "holds the lock through a log and three divisions per element, the most CPU per byte of the elementwise kernels: the lock costs the most here",
		Numpy:  "divide/log ufuncs release the lock; only per-chunk glue holds it, so workers scale",
	},
	"abi": {
		Python: "as reflectance or bt, whichever the band needs",
		Numpy:  "as reflectance or bt, whichever the band needs",
	},
	"blur": {
		Python: "holds the lock for the whole stencil of the chunk: no speed-up from more workers",
		Numpy:  "scipy.ndimage.uniform_filter releases the lock; the halo glue (slicing, concatenating overlaps) holds it",
	},
	"median": {
		Python: "holds the lock for O(N^2) work per pixel, yielding it every row: the worst case for the lock",
		Numpy:  "the compiled filter releases the lock; only the per-chunk glue holds it, so workers scale",
	},
	"coarsen": {
		Python: "holds the lock for the whole chunk: no speed-up from more workers",
		Numpy:  "reshape + nanmean reductions release the lock; workers scale",
	},
	"noop": {
		Python: "holds the lock only for a copy of the chunk",
		Numpy:  "the copy releases the lock; what remains is pure per-chunk overhead",
	},
	"primes": {
		Python: "pure computation under the lock the whole time: gil gives no speed-up, free and processes scale",
		Numpy:  "(a pure-Python loop has no C code to release the lock in; use the python model for it)",
	},
	"sleep": {
		Python: "releases the lock while it waits, as time.sleep and read() do: every mode scales",
		Numpy:  "releases the lock while it waits: every mode scales",
	},
	"stats": {
		Python: "holds the lock while folding each chunk and merging partials",
		Numpy:  "the nan-reductions release the lock; merging the per-chunk partials holds it",
	},
	"histogram": {
		Python: "holds the lock while binning each chunk",
		Numpy:  "numpy.histogram releases the lock; merging the per-chunk counts holds it",
	},
}

// GILNotes returns the gil-mode note of the named kernel or reducer.
func GILNotes(kernel string) (GILNote, bool) {
	n, ok := gilNotes[kernel]
	return n, ok
}
