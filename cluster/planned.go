package cluster

import (
	"fmt"

	"chunkpipe/formats"
	"chunkpipe/plan"
)

// PlanRequest is what workers need of a [plan.Request] to plan a job
// again: band math, a stack or a resampled input, whose sources and
// chains only the planner builds. It holds the request's data fields
// (not its context, engine or diagnostics).
type PlanRequest struct {
	Inputs        []string          `json:"inputs"`
	Bands         []plan.Band       `json:"bands,omitempty"`
	Output        string            `json:"output,omitempty"`
	Kernels       string            `json:"kernels,omitempty"`
	Params        []string          `json:"params,omitempty"`
	Preset        string            `json:"preset,omitempty"`
	Variable      string            `json:"var,omitempty"`
	Raw           formats.RawSpec   `json:"raw"`
	MaskDQF       bool              `json:"mask_dqf,omitempty"`
	MaskMax       int               `json:"mask_max,omitempty"`
	Expr          string            `json:"expr,omitempty"`
	Grid          string            `json:"grid,omitempty"`
	Resample      plan.Resampling   `json:"resample"`
	WriterOptions map[string]string `json:"writer_options,omitempty"`
	Stack         bool              `json:"stack,omitempty"`
}

// NewPlanRequest takes the fields workers need from req.
func NewPlanRequest(req plan.Request) *PlanRequest {
	return &PlanRequest{Inputs: req.Inputs, Bands: req.Bands, Output: req.Output, Kernels: req.Kernels, Params: req.Params,
		Preset: req.Preset, Variable: req.Open.Variable, Raw: req.Open.Raw, MaskDQF: req.Open.MaskDQF, MaskMax: req.Open.MaskMax,
		Expr: req.Expr, Grid: req.Grid, Resample: req.Resample, WriterOptions: req.WriterOptions, Stack: req.Stack}
}

// request is the plan.Request a worker plans: without writers (SpecOnly),
// in free lock mode, an existing output allowed (it is the coordinator's
// to replace).
func (r *PlanRequest) request() plan.Request {
	return plan.Request{Inputs: r.Inputs, Bands: r.Bands, Output: r.Output, Kernels: r.Kernels, Params: r.Params, Preset: r.Preset,
		Open: plan.InputOptions{Variable: r.Variable, Raw: r.Raw, MaskDQF: r.MaskDQF, MaskMax: r.MaskMax},
		Expr: r.Expr, Grid: r.Grid, Resample: r.Resample, WriterOptions: r.WriterOptions, Stack: r.Stack,
		SpecOnly: true, Overwrite: true, FailFast: true}
}

// rebuildPlanned rebuilds a job the planner lays out from the whole
// request (band math, --stack, --resample): the worker plans the request
// as the coordinator did, without writers, and takes its one job's
// source and chains. The grid stays the coordinator's.
func rebuildPlanned(s *spec) (*built, error) {
	p, err := plan.Build(s.Plan.request())
	if err != nil {
		return nil, fmt.Errorf("cluster: planning %s: %w", s.Input.Path, err)
	}
	if len(p.Jobs) != 1 || p.Jobs[0].Err != nil {
		p.Close()
		if len(p.Jobs) == 1 {
			return nil, p.Jobs[0].Err
		}
		return nil, fmt.Errorf("cluster: planning %s gave %d jobs, want 1", s.Input.Path, len(p.Jobs))
	}
	j := p.Jobs[0]
	if j.Shape != s.Grid.Shape {
		p.Close()
		return nil, fmt.Errorf("cluster: %s plans to shape %v, the job's grid %v", s.Input.Path, j.Shape, s.Grid.Shape)
	}
	params := j.Params
	if params == nil {
		params = j.Chain.Params()
	}
	return &built{spec: s, reader: j.Source, info: formats.Info{Shape: j.Shape, DType: j.DType}, params: params, chain: j.Chain,
		planes: j.Planes, outPlanes: j.OutPlanes, perPlane: j.PerPlane, planeChains: j.PlaneChains, closer: p.Close}, nil
}
