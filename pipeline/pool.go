package pipeline

import (
	"sync"

	"chunkpipe/chunk"
	"chunkpipe/kernels"
)

// arrayPool recycles chunk buffers so that a run allocates at most one
// buffer per chunk in flight and nothing per chunk in steady state.
type arrayPool struct {
	mu   sync.Mutex
	free []*chunk.Array
}

// get returns an array of type t over r with the given planes (0 for a
// plain array), reusing a free buffer when one is large enough.
func (p *arrayPool) get(t chunk.DType, r chunk.Region, planes int) *chunk.Array {
	need := r.Len() * t.Size() * max(planes, 1)
	p.mu.Lock()
	for i := len(p.free) - 1; i >= 0; i-- {
		a := p.free[i]
		if cap(a.Data) >= need {
			p.free[i] = p.free[len(p.free)-1]
			p.free = p.free[:len(p.free)-1]
			p.mu.Unlock()
			a.ResetPlanes(t, r, planes)
			a.Planes = planes
			return a
		}
	}
	p.mu.Unlock()
	a := &chunk.Array{}
	a.ResetPlanes(t, r, planes)
	a.Planes = planes
	return a
}

// put gives a buffer back.
func (p *arrayPool) put(a *chunk.Array) {
	if a == nil {
		return
	}
	p.mu.Lock()
	p.free = append(p.free, a)
	p.mu.Unlock()
}

// merger folds per-chunk partial reductions in chunk order as they arrive,
// so that the result does not depend on completion order and at most the
// chunks in flight wait unmerged.
type merger struct {
	reducer kernels.Reducer
	mu      sync.Mutex
	next    int
	pending map[int]kernels.Partial
	have    map[int]bool
	acc     kernels.Partial
}

func newMerger(r kernels.Reducer) *merger {
	return &merger{reducer: r, pending: map[int]kernels.Partial{}, have: map[int]bool{}, acc: r.NewPartial()}
}

// add records chunk n's partial (nil for a chunk that contributes nothing)
// and merges every partial that is next in order.
func (m *merger) add(n int, p kernels.Partial) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pending[n], m.have[n] = p, true
	for m.have[m.next] {
		if q := m.pending[m.next]; q != nil {
			m.acc.Merge(q)
		}
		delete(m.pending, m.next)
		delete(m.have, m.next)
		m.next++
	}
}

func (m *merger) result() kernels.Result {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.acc.Result()
}
