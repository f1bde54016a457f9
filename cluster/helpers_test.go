package cluster

import (
	"bytes"
	"context"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
	"chunkpipe/synth"
)

// synthInput writes the synthetic int16 granule of the given size as .npy
// (or another format by extension) and returns its path.
func synthInput(t testing.TB, dir string, n int, ext string, opts map[string]string) string {
	t.Helper()
	g := synth.New(chunk.Shape{Rows: n, Cols: n}, 7)
	var a chunk.Array
	a.Reset(chunk.Int16, g.Shape.Bounds())
	if err := g.ReadRegion(context.Background(), a.Rect, &a); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "synth"+ext)
	w, err := formats.Create(formats.CreateSpec{Path: path, Shape: g.Shape, DType: chunk.Int16, Chunk: chunk.Shape{Rows: 128, Cols: 128}, Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRegion(context.Background(), &a); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	return path
}

// outputSpec is the CreateSpec of the job's output at path: the same
// metadata for the local and the cluster run.
func outputSpecFor(t testing.TB, job Job, path string) *formats.CreateSpec {
	t.Helper()
	b, err := rebuild(&spec{Input: job.Input, Chain: job.Chain, Params: job.Params, Grid: job.Grid})
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	f := b.chain.Factor()
	t32 := b.chain.OutDType(b.info.DType)
	cs := &formats.CreateSpec{Path: path, Shape: b.chain.OutputShape(b.info.Shape), DType: t32,
		Chunk: chunk.Shape{Rows: job.Grid.Chunk.Rows / f, Cols: job.Grid.Chunk.Cols / f}, Variable: "out",
		Global: formats.Attrs{{Name: "history", Value: "cluster test"}}}
	if t32.IsFloat() {
		cs.Attrs = formats.Attrs{{Name: "_FillValue", Value: nanF()}, {Name: "units", Value: "K"}}
	}
	return cs
}

// localRun runs job in this process with the pipeline, as `chunkpipe run`
// does (a histogram without a range gets it from a stats pass first):
// two workers, or one for a GeoTIFF.
func localRun(t testing.TB, job Job) *pipeline.Report {
	t.Helper()
	b, err := rebuild(&spec{Input: job.Input, Chain: job.Chain, Params: job.Params, Grid: job.Grid})
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	pj := pipeline.Job{Input: job.Input.Path, Source: b.reader, Shape: b.info.Shape, DType: b.info.DType, Chain: b.chain, Params: b.params, Grid: job.Grid}
	cfg := pipeline.Config{Workers: 2}
	if job.Output != nil && strings.HasSuffix(job.Output.Path, ".tif") {
		// One worker appends the tiles in chunk order, as a cluster's
		// coordinator places them.
		cfg.Workers = 1
	}
	if rs, ok := b.chain.Reducer().(kernels.RangeSetter); ok && rs.NeedsRange() {
		var names []string
		for _, k := range b.chain.Kernels() {
			names = append(names, k.Name())
		}
		sc, err := kernels.ParseChain(strings.Join(append(names, "stats"), ","), b.params)
		if err != nil {
			t.Fatal(err)
		}
		sj := pj
		sj.Chain = sc
		rep, err := pipeline.Run(context.Background(), sj, cfg)
		if err != nil {
			t.Fatal(err)
		}
		rs.SetRange(rep.Result.Values["min"], rep.Result.Values["max"])
	}
	var w formats.Writer
	if job.Output != nil {
		if w, err = formats.Create(*job.Output); err != nil {
			t.Fatal(err)
		}
		pj.Sink = w
	}
	rep, err := pipeline.Run(context.Background(), pj, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if w != nil {
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	return rep
}

// runCluster runs job on the cluster at url within a minute.
func runCluster(t testing.TB, url string, job Job, opts Options) (*Report, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	opts.URL = url
	return Run(ctx, job, opts)
}

// sameTree fails unless directories a and b hold the same files with the
// same bytes.
func sameTree(t testing.TB, a, b string) {
	t.Helper()
	read := func(root string) map[string][]byte {
		m := map[string][]byte{}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			m[rel], err = os.ReadFile(p)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	ma, mb := read(a), read(b)
	if len(ma) == 0 {
		t.Fatalf("%s holds no files", a)
	}
	for k, v := range ma {
		if w, ok := mb[k]; !ok {
			t.Errorf("%s: %s missing", b, k)
		} else if !bytes.Equal(v, w) {
			t.Errorf("%s differs between %s and %s", k, a, b)
		}
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			t.Errorf("%s: extra file %s", b, k)
		}
	}
}

// sameFile fails unless files a and b have the same bytes.
func sameFile(t testing.TB, a, b string) {
	t.Helper()
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(x, y) {
		t.Fatalf("%s (%d bytes) and %s (%d bytes) differ", a, len(x), b, len(y))
	}
}

// sameArray fails unless the arrays stored at a and b decode to the same
// elements.
func sameArray(t testing.TB, a, b string) {
	t.Helper()
	read := func(p string) []byte {
		r, err := formats.Open(p, formats.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var arr chunk.Array
		arr.Reset(r.Info().DType, r.Info().Shape.Bounds())
		if err := r.ReadRegion(context.Background(), arr.Rect, &arr); err != nil {
			t.Fatal(err)
		}
		return arr.Data[:arr.Bytes()]
	}
	if x, y := read(a), read(b); !bytes.Equal(x, y) {
		t.Fatalf("decoded arrays of %s and %s differ", a, b)
	}
}

// sameResult fails unless two reductions have the same bits.
func sameResult(t testing.TB, want *kernels.Result, got *kernels.Result) {
	t.Helper()
	if got == nil || want == nil {
		t.Fatalf("result %v, want %v", got, want)
	}
	if !reflect.DeepEqual(want.Counts, got.Counts) || !reflect.DeepEqual(want.Edges, got.Edges) || want.Name != got.Name {
		t.Fatalf("histogram %s %v, want %s %v", got.Name, got.Counts, want.Name, want.Counts)
	}
	for k, v := range want.Values {
		g := got.Values[k]
		if !(v == g || v != v && g != g) || (v == 0 && 1/v != 1/g) {
			t.Errorf("%s = %v, want %v (local run)", k, g, v)
		}
	}
}

// streamDrained waits (up to 5 s) until the task stream holds no message
// and the workers' consumer has nothing pending or unacknowledged.
func streamDrained(t testing.TB, url string) {
	t.Helper()
	nc, js, err := connect(url, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var last string
	for ctx.Err() == nil {
		s, err := js.Stream(ctx, TaskStream)
		if err != nil {
			t.Fatal(err)
		}
		si, err := s.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ci *jetstream.ConsumerInfo
		if c, err := s.Consumer(ctx, Consumer); err == nil {
			ci, _ = c.Info(ctx)
		}
		if si.State.Msgs == 0 && ci != nil && ci.NumAckPending == 0 && ci.NumPending == 0 {
			return
		}
		last = "stream holds " + itoa(int(si.State.Msgs)) + " messages"
		if ci != nil {
			last += ", consumer " + itoa(ci.NumAckPending) + " unacknowledged, " + itoa(int(ci.NumPending)) + " pending"
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("task stream not drained after 5s: %s", last)
}

func itoa(n int) string { return strconv.Itoa(n) }

func nanF() float64 { return math.NaN() }

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o644) }

// serveInProcess runs n workers in goroutines of the test; stop ends them.
func serveInProcess(t testing.TB, url string, n int, lock pipeline.LockMode) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			err := Serve(ctx, WorkerConfig{URL: url, Workers: 2, Lock: lock, Name: "inproc-" + itoa(i), NakDelay: 20 * time.Millisecond})
			if err != nil && ctx.Err() == nil {
				t.Error(err)
			}
		})
	}
	return func() { cancel(); wg.Wait() }
}

// waitWorkers creates the streams and the workers' consumer as a
// coordinator with this AckWait would, then waits (up to 20 s) until n
// worker processes are connected and pulling, so that each of them gets
// tasks as soon as a job's are published.
func waitWorkers(t testing.TB, l *Local, n int, ackWait time.Duration) {
	t.Helper()
	nc, js, err := connect(l.URL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tasks, _, err := ensureStreams(ctx, js, ackWait, DefaultMaxDeliver)
	if err != nil {
		t.Fatal(err)
	}
	for ctx.Err() == nil {
		c, err := tasks.Consumer(ctx, Consumer)
		if err != nil {
			t.Fatal(err)
		}
		ci, err := c.Info(ctx)
		workers := 0
		if cz, err := l.Server.srv.Connz(&server.ConnzOptions{}); err == nil {
			for _, ci := range cz.Conns {
				if strings.HasPrefix(ci.Name, "chunkpipe worker ") {
					workers++
				}
			}
		}
		if err == nil && ci.NumWaiting >= n && workers >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%d workers did not all connect within 20s", n)
}
