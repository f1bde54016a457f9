package remote

import (
	"container/list"
	"context"
	"sync"
)

// Cache holds blocks of remote files, least recently used out once it
// holds more than its limit in bytes. Files opened without
// [Options.Cache] share one of 64 MiB, so that a batch of many open files
// stays within one bound. A block being fetched is in the map but not in
// the list: readers that need it wait for it. It is safe for concurrent
// use.
type Cache struct {
	limit int64
	mu    sync.Mutex
	bytes int64
	m     map[blockKey]*block
	lru   list.List // of *block, most recently used at the front
}

// blockKey names block idx of a file.
type blockKey struct {
	f   *File
	idx int64
}

type block struct {
	key  blockKey
	data []byte
	done chan struct{} // closed when data or err is set
	err  error
	elem *list.Element // nil while fetching
}

// NewCache returns an empty cache that holds at most limit bytes (but
// always the block last fetched).
func NewCache(limit int64) *Cache {
	return &Cache{limit: limit, m: map[blockKey]*block{}}
}

// sharedCache is the cache of files opened without Options.Cache.
var sharedCache = NewCache(64 << 20)

// Bytes returns the bytes the cache holds.
func (c *Cache) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

// seed stores the blocks wholly inside b, the file's first bytes, and the
// short last block too when b ends at the file's end.
func (f *File) seed(b []byte, atEOF bool) {
	c, bs := f.cache, f.opts.BlockSize
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := int64(0); i*bs < int64(len(b)); i++ {
		end := (i + 1) * bs
		if end > int64(len(b)) {
			if !atEOF {
				break
			}
			end = int64(len(b))
		}
		blk := &block{key: blockKey{f, i}, data: append([]byte(nil), b[i*bs:end]...), done: make(chan struct{})}
		close(blk.done)
		c.m[blk.key] = blk
		c.insertLocked(blk)
	}
}

// insertLocked makes a fetched block usable and evicts old ones.
func (c *Cache) insertLocked(b *block) {
	b.elem = c.lru.PushFront(b)
	c.bytes += int64(len(b.data))
	for c.bytes > c.limit && c.lru.Len() > 1 {
		old := c.lru.Remove(c.lru.Back()).(*block)
		old.elem = nil
		delete(c.m, old.key)
		c.bytes -= int64(len(old.data))
		old.key.f.count.evictions.Add(1)
	}
}

// drop removes f's blocks (those being fetched leave when they arrive).
func (c *Cache) drop(f *File) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, b := range c.m {
		if k.f != f {
			continue
		}
		delete(c.m, k)
		if b.elem != nil {
			c.lru.Remove(b.elem)
			b.elem = nil
			c.bytes -= int64(len(b.data))
		}
	}
}

// readCached fills p from the blocks covering [off, off+len(p)), which lie
// inside the file. A missing block is fetched together with the missing
// blocks after it, up to SpanBytes, in one request; blocks another reader
// is fetching are waited for.
func (f *File) readCached(p []byte, off int64) error {
	c := f.cache
	bs := f.opts.BlockSize
	lastBlock := (f.size - 1) / bs
	for pos := off; pos < off+int64(len(p)); {
		i := pos / bs
		c.mu.Lock()
		b := c.m[blockKey{f, i}]
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
	maxBlocks := max(f.opts.SpanBytes/f.opts.BlockSize, 1)
	var run []*block
	for j := i; j <= lastBlock && int64(len(run)) < maxBlocks; j++ {
		k := blockKey{f, j}
		if c.m[k] != nil {
			break
		}
		b := &block{key: k, done: make(chan struct{})}
		c.m[k] = b
		run = append(run, b)
	}
	return run
}

// fill fetches a claimed run of blocks in one request and publishes them,
// or their error (then they leave the map, so that a later read retries),
// which it returns.
func (f *File) fill(run []*block) error {
	c := f.cache
	bs := f.opts.BlockSize
	bufs := make([][]byte, len(run))
	for k, b := range run {
		n := min(bs, f.size-b.key.idx*bs)
		b.data = make([]byte, n)
		bufs[k] = b.data
	}
	err := f.fetch(run[0].key.idx*bs, bufs)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, b := range run {
		if err != nil {
			b.err, b.data = err, nil
			if c.m[b.key] == b {
				delete(c.m, b.key)
			}
		} else if c.m[b.key] == b {
			f.count.misses.Add(1)
			c.insertLocked(b)
		}
		close(b.done)
	}
	return err
}
