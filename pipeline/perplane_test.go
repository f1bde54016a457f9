package pipeline

import (
	"context"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

// stackSource serves the same region of several arrays as the planes of
// one multi-plane array.
type stackSource struct{ planes []*chunk.Array }

func (s stackSource) ReadRegion(ctx context.Context, r chunk.Region, dst *chunk.Array) error {
	for k, a := range s.planes {
		dst.Plane(k).CopyFrom(a.Sub(r))
	}
	return nil
}

// stackSink assembles the planes of written regions.
type stackSink struct {
	mu     sync.Mutex
	planes []*chunk.Array
}

func (s *stackSink) WriteRegion(ctx context.Context, a *chunk.Array) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.planes {
		s.planes[k].CopyFrom(a.Plane(k))
	}
	return nil
}

// A per-plane job gives each plane what the chain gives that plane run on
// its own, bit for bit, for chains with halos and block reductions, any
// chunking and both in-process lock modes; processes mode and reducers
// are refused.
func TestPerPlaneMatchesEachPlaneAlone(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	shape := chunk.Shape{Rows: 97, Cols: 130}
	planes := []*chunk.Array{granule(rng, shape), granule(rng, shape), granule(rng, shape)}
	for _, text := range []string{"", "calibrate", "calibrate,bt,blur:5", "calibrate,coarsen:2"} {
		chain := mustChain(t, text)
		for _, lock := range []LockMode{Free, GIL} {
			for _, cs := range []chunk.Shape{{Rows: 16, Cols: 32}, {Rows: 40, Cols: 130}} {
				grid, err := chunk.NewGrid(shape, cs)
				if err != nil {
					t.Fatal(err)
				}
				out := chain.OutputShape(shape)
				sink := &stackSink{}
				for range planes {
					sink.planes = append(sink.planes, chunk.NewArray(chain.OutDType(chunk.Int16), out.Bounds()))
				}
				job := Job{Input: "stack", Source: stackSource{planes}, Shape: shape, DType: chunk.Int16, Planes: 3, OutPlanes: 3,
					PerPlane: true, Chain: chain, Grid: grid, Sink: sink}
				if _, err := Run(context.Background(), job, Config{Workers: 2, Lock: lock}); err != nil {
					t.Fatalf("%q %v %v: %v", text, lock, cs, err)
				}
				for k, p := range planes {
					want := reference(t, chain, p)
					if string(want.Data[:want.Bytes()]) != string(sink.planes[k].Data[:want.Bytes()]) {
						t.Errorf("chain %q, %v, chunks %v: plane %d differs from the plane run alone", text, lock, cs, k+1)
					}
				}
			}
		}
	}
	grid, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 32, Cols: 32})
	base := Job{Input: "stack", Source: stackSource{planes}, Shape: shape, DType: chunk.Int16, Planes: 3, OutPlanes: 3,
		PerPlane: true, Grid: grid, Sink: &stackSink{}}
	for name, c := range map[string]struct {
		job  func(Job) Job
		lock LockMode
		want string
	}{
		"processes":     {func(j Job) Job { j.Chain = mustChain(t, "calibrate"); return j }, Processes, "free or gil"},
		"reducer":       {func(j Job) Job { j.Chain = mustChain(t, "calibrate,stats"); j.Sink = nil; return j }, Free, "no reducer"},
		"planes differ": {func(j Job) Job { j.Chain = mustChain(t, "calibrate"); j.OutPlanes = 1; return j }, Free, "as many output planes"},
	} {
		_, err := Run(context.Background(), c.job(base), procConfig(Config{Workers: 1, Lock: c.lock}))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, c.want)
		}
	}
}

// Per-plane chains with their own parameters (each input's calibration)
// give each plane what its own chain gives; chains that are not the job's
// kernels are refused.
func TestPlaneChainsUseEachPlanesParameters(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	shape := chunk.Shape{Rows: 40, Cols: 50}
	planes := []*chunk.Array{granule(rng, shape), granule(rng, shape)}
	var chains []*kernels.Chain
	for _, scale := range []string{"0.5", "2"} {
		p := kernels.Params{}
		if err := p.Set("scale_factor="+scale, kernels.SourceFlag); err != nil {
			t.Fatal(err)
		}
		c, err := kernels.ParseChain("calibrate,blur:3", p)
		if err != nil {
			t.Fatal(err)
		}
		chains = append(chains, c)
	}
	grid, _ := chunk.NewGrid(shape, chunk.Shape{Rows: 16, Cols: 16})
	sink := &stackSink{planes: []*chunk.Array{chunk.NewArray(chunk.Float32, shape.Bounds()), chunk.NewArray(chunk.Float32, shape.Bounds())}}
	job := Job{Input: "stack", Source: stackSource{planes}, Shape: shape, DType: chunk.Int16, Planes: 2, OutPlanes: 2,
		PerPlane: true, PlaneChains: chains, Chain: chains[0], Grid: grid, Sink: sink}
	if _, err := Run(context.Background(), job, Config{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	for k := range planes {
		want := reference(t, chains[k], planes[k])
		if string(want.Data[:want.Bytes()]) != string(sink.planes[k].Data[:want.Bytes()]) {
			t.Errorf("plane %d differs from its own chain's result", k+1)
		}
	}
	job.PlaneChains = []*kernels.Chain{chains[0], mustChain(t, "calibrate")}
	if _, err := Run(context.Background(), job, Config{Workers: 1}); err == nil || !strings.Contains(err.Error(), "plane 2's chain") {
		t.Errorf("mismatched plane chain: %v", err)
	}
}
