package cluster

import (
	_ "chunkpipe/formats/all" // workers open any input format

	"fmt"
	"strings"

	"chunkpipe/formats"
	"chunkpipe/kernels"
	"chunkpipe/plan"
)

// built is a job rebuilt from its spec inside one process: the opened
// input, its parameters and the parsed chain.
type built struct {
	spec   *spec
	reader formats.Reader
	info   formats.Info
	params kernels.Params
	chain  *kernels.Chain
}

// rebuild opens the input and parses the chain the way the planner does
// for a local run (plan.Open, plan.ReadParams: the preset, the file's
// scalar variables, the variable's attributes, then the --param
// overrides). It is the one place a job is rebuilt from its serializable
// spec, in the coordinator (which reads only the header) and in every
// worker.
func rebuild(s *spec) (*built, error) {
	r, err := formats.Open(s.Input.Path, s.Input.openOptions())
	if err != nil {
		return nil, err
	}
	b := &built{spec: s, reader: r, info: r.Info()}
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

func (b *built) close() { b.reader.Close() }
