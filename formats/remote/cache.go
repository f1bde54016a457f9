package remote

import (
	"container/list"
	"context"
	"sync"
)

// blockCache holds fixed-size blocks of one file, least recently used
// first out once it holds more than limit bytes. A block being fetched is
// in the map but not in the list: readers that need it wait for it.
type blockCache struct {
	size  int64 // block size
	limit int64
	mu    sync.Mutex
	bytes int64
	m     map[int64]*block
	lru   list.List // of *block, most recently used at the front
}

type block struct {
	idx  int64
	data []byte
	done chan struct{} // closed when data or err is set
	err  error
	elem *list.Element // nil while fetching
}

func newBlockCache(size, limit int64) *blockCache {
	return &blockCache{size: size, limit: limit, m: map[int64]*block{}}
}

// seed stores the blocks wholly inside b, the file's first bytes, and the
// short last block too when b ends at the file's end.
func (c *blockCache) seed(b []byte, atEOF bool, count *counters) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := int64(0); i*c.size < int64(len(b)); i++ {
		end := (i + 1) * c.size
		if end > int64(len(b)) {
			if !atEOF {
				break
			}
			end = int64(len(b))
		}
		blk := &block{idx: i, data: append([]byte(nil), b[i*c.size:end]...), done: make(chan struct{})}
		close(blk.done)
		c.m[i] = blk
		c.insertLocked(blk, count)
	}
}

// insertLocked makes a fetched block usable and evicts old ones.
func (c *blockCache) insertLocked(b *block, count *counters) {
	b.elem = c.lru.PushFront(b)
	c.bytes += int64(len(b.data))
	for c.bytes > c.limit && c.lru.Len() > 1 {
		old := c.lru.Remove(c.lru.Back()).(*block)
		old.elem = nil
		delete(c.m, old.idx)
		c.bytes -= int64(len(old.data))
		count.evictions.Add(1)
	}
}

func (c *blockCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = map[int64]*block{}
	c.lru.Init()
	c.bytes = 0
}

// readCached fills p from the blocks covering [off, off+len(p)), which lie
// inside the file. A missing block is fetched together with the missing
// blocks after it, up to SpanBytes, in one request; blocks another reader
// is fetching are waited for.
func (f *File) readCached(p []byte, off int64) error {
	c := f.cache
	bs := c.size
	lastBlock := (f.size - 1) / bs
	for pos := off; pos < off+int64(len(p)); {
		i := pos / bs
		c.mu.Lock()
		b := c.m[i]
		if b == nil {
			run := f.claimLocked(i, lastBlock)
			c.mu.Unlock()
			if err := f.fill(run); err != nil {
				return err
			}
			b = run[0] // usable even if a small cache has evicted it already
		} else {
			if b.elem != nil {
				c.lru.MoveToFront(b.elem)
				f.count.hits.Add(1)
			}
			c.mu.Unlock()
		}
		select {
		case <-b.done:
		case <-f.ctx.Done():
			return context.Cause(f.ctx)
		}
		if b.err != nil {
			return b.err
		}
		from := pos - i*bs
		n := copy(p[pos-off:], b.data[from:])
		pos += int64(n)
	}
	return nil
}

// claimLocked enters the run of missing blocks from i (at most SpanBytes,
// not past the file's last block) as being fetched.
func (f *File) claimLocked(i, lastBlock int64) []*block {
	c := f.cache
	maxBlocks := max(f.opts.SpanBytes/c.size, 1)
	var run []*block
	for j := i; j <= lastBlock && int64(len(run)) < maxBlocks; j++ {
		if c.m[j] != nil {
			break
		}
		b := &block{idx: j, done: make(chan struct{})}
		c.m[j] = b
		run = append(run, b)
	}
	return run
}

// fill fetches a claimed run of blocks in one request and publishes them,
// or their error (then they leave the map, so that a later read retries),
// which it returns.
func (f *File) fill(run []*block) error {
	c := f.cache
	bs := c.size
	bufs := make([][]byte, len(run))
	for k, b := range run {
		n := min(bs, f.size-b.idx*bs)
		b.data = make([]byte, n)
		bufs[k] = b.data
	}
	err := f.fetch(run[0].idx*bs, bufs)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, b := range run {
		if err != nil {
			b.err, b.data = err, nil
			if c.m[b.idx] == b {
				delete(c.m, b.idx)
			}
		} else if c.m[b.idx] == b {
			f.count.misses.Add(1)
			c.insertLocked(b, &f.count)
		}
		close(b.done)
	}
	return err
}
