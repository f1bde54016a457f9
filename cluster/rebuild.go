package cluster

import (
	_ "chunkpipe/formats/all" // workers open any input format

	"fmt"
	"strings"

	"chunkpipe/formats"
	"chunkpipe/kernels"
	"chunkpipe/pipeline"
	"chunkpipe/plan"
)

// built is a job rebuilt from its spec inside one process: the opened
// input, its parameters and the parsed chain. A planned job (band math,
// a stack, a resampled input) reads several planes per region (planes),
// may write several (outPlanes), and with perPlane runs a chain per
// plane (planeChains[k], or chain).
type built struct {
	spec        *spec
	reader      pipeline.Source
	info        formats.Info // Shape and DType of what reader delivers
	params      kernels.Params
	chain       *kernels.Chain
	planes      int
	outPlanes   int
	perPlane    bool
	planeChains []*kernels.Chain
	closer      func()
}

// rebuild opens the input and parses the chain the way the planner does
// for a local run (plan.Open, plan.ReadParams: the preset, the file's
// scalar variables, the variable's attributes, then the --param
// overrides). It is the one place a job is rebuilt from its serializable
// spec, in the coordinator (which reads only the header) and in every
// worker.
func rebuild(s *spec) (*built, error) {
	if s.Plan != nil {
		return rebuildPlanned(s)
	}
	r, err := formats.Open(s.Input.Path, s.Input.openOptions())
	if err != nil {
		return nil, err
	}
	b := &built{spec: s, reader: r, info: r.Info(), closer: func() { r.Close() }}
	if b.params, err = plan.ReadParams(r, s.Preset, s.Params); err != nil {
		r.Close()
		return nil, err
	}
	if b.chain, err = kernels.ParseChain(s.Chain, b.params); err != nil {
		r.Close()
		return nil, err
	}
	if b.info.Shape != s.Grid.Shape {
		r.Close()
		return nil, fmt.Errorf("cluster: input %s has shape %v, the job's grid %v", s.Input.Path, b.info.Shape, s.Grid.Shape)
	}
	return b, nil
}

// chainText spells a parsed chain so that parsing it again gives the same
// chain: the kernels' names and the reducer's, whose name carries a
// histogram's range once it is set.
func chainText(c *kernels.Chain) string {
	var names []string
	for _, k := range c.Kernels() {
		names = append(names, k.Name())
	}
	if r := c.Reducer(); r != nil {
		names = append(names, r.Name())
	}
	return strings.Join(names, ",")
}

func (b *built) close() { b.closer() }
