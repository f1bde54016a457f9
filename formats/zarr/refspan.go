package zarr

import (
	"bytes"
	"context"
	"path"
	"sort"
	"sync"

	"chunkpipe/formats/remote"
)

// Remote chunks of a reference store are fetched in spans: a chunk that
// is not yet here is fetched together with the chunks of the same array
// that follow it in the file (within spanGap bytes of each other, up to
// spanBytes in all), in one range request, as a remote file's block cache
// joins neighbouring reads. The other chunks wait, consumed on their first
// read, in a buffer of at most pendingBytes; when it is full, chunks are
// fetched one by one. A chunk read again is fetched again.
const (
	spanBytes    = 4 << 20
	spanGap      = 64 << 10
	pendingBytes = 64 << 20
)

// spans holds the fetch state of a reference store's remote chunks.
type spans struct {
	// next maps a chunk key to the key of the chunk that follows it in
	// its file, among the chunks of its array (absent for the last).
	next map[string]string

	mu       sync.Mutex
	pending  map[string][]byte        // fetched, not yet read
	held     int64                    // bytes in pending
	inflight map[string]chan struct{} // keys whose span is being fetched: closed when done
}

// newSpans orders the remote ranged references of refs by file and array.
func newSpans(refs map[string]ref) *spans {
	type item struct {
		key string
		r   ref
	}
	groups := map[[2]string][]item{}
	for k, r := range refs {
		if r.url != "" && r.n >= 0 && isRemote(r.url) {
			g := [2]string{r.url, path.Dir(k)}
			groups[g] = append(groups[g], item{k, r})
		}
	}
	sp := &spans{next: map[string]string{}, pending: map[string][]byte{}, inflight: map[string]chan struct{}{}}
	for _, items := range groups {
		sort.Slice(items, func(i, j int) bool { return items[i].r.off < items[j].r.off })
		for i := 1; i < len(items); i++ {
			sp.next[items[i-1].key] = items[i].key
		}
	}
	return sp
}

// get returns the bytes of the remote chunk key, fetching its span.
func (s *refStore) getSpan(ctx context.Context, key string) ([]byte, error) {
	sp := s.spans
	for attempt := 0; ; attempt++ {
		sp.mu.Lock()
		if b, ok := sp.pending[key]; ok {
			delete(sp.pending, key)
			sp.held -= int64(len(b))
			sp.mu.Unlock()
			return b, nil
		}
		wait, busy := sp.inflight[key]
		if !busy || attempt > 0 {
			break // sp.mu stays locked for the planning below
		}
		sp.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
	}
	// Plan the span: key, then the chunks after it that are close enough,
	// not here or on their way already, while the buffer has room.
	first := s.refs[key]
	keys := []string{key}
	end := first.off + first.n
	room := pendingBytes - sp.held
	for k, ok := sp.next[key]; ok; k, ok = sp.next[k] {
		r := s.refs[k]
		_, have := sp.pending[k]
		_, busy := sp.inflight[k]
		if have || busy || r.off < end || r.off-end > spanGap || r.off+r.n-first.off > spanBytes || r.off+r.n-first.off-first.n > room {
			break
		}
		keys = append(keys, k)
		end = r.off + r.n
	}
	done := make(chan struct{})
	for _, k := range keys {
		if _, busy := sp.inflight[k]; !busy {
			sp.inflight[k] = done
		}
	}
	sp.mu.Unlock()

	buf, err := remote.GetRange(ctx, first.url, first.off, end-first.off, s.opts)

	sp.mu.Lock()
	for _, k := range keys {
		if sp.inflight[k] == done {
			delete(sp.inflight, k)
		}
		if err == nil && k != key {
			r := s.refs[k]
			// A copy: a slice of the span would keep the whole span's
			// buffer alive while held counts only this chunk.
			sp.pending[k] = bytes.Clone(buf[r.off-first.off : r.off-first.off+r.n])
			sp.held += r.n
		}
	}
	sp.mu.Unlock()
	close(done)
	if err != nil {
		return nil, err
	}
	return buf[:first.n:first.n], nil
}
