package hdf5

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"chunkpipe/internal/byteswap"
)

// ReadHyperslab reads the hyperslab [start, start+count) into dst in C
// order. Numeric elements are converted to host (little-endian) byte order;
// other types are copied as stored. len(dst) must be prod(count)*ElemSize().
// Only the chunks overlapping the hyperslab are read and decoded; chunk
// cells never written take the fill value. For a scalar dataset pass empty
// start and count. It is safe to call concurrently.
func (ds *Dataset) ReadHyperslab(start, count []int, dst []byte) error {
	return ds.readHyperslab(start, count, dst, 1)
}

// ReadHyperslabParallel is ReadHyperslab decoding the overlapping chunks
// with up to workers goroutines (workers <= 0 means GOMAXPROCS).
func (ds *Dataset) ReadHyperslabParallel(start, count []int, dst []byte, workers int) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return ds.readHyperslab(start, count, dst, workers)
}

// ReadAll reads the whole dataset (see ReadHyperslab for the byte layout).
func (ds *Dataset) ReadAll() ([]byte, error) {
	n, ok := checkedMul(uint64(ds.NumElements()), uint64(ds.elemSize), maxReadAll)
	if !ok {
		return nil, ds.wrapErr(fmt.Errorf("dataset too large to read at once"))
	}
	dst := make([]byte, n)
	start := make([]int, len(ds.shape))
	return dst, ds.ReadHyperslab(start, ds.Shape(), dst)
}

func (ds *Dataset) readHyperslab(start, count []int, dst []byte, workers int) error {
	rank := len(ds.shape)
	if len(start) != rank || len(count) != rank {
		return ds.wrapErr(fmt.Errorf("hyperslab rank %d/%d, dataset rank %d", len(start), len(count), rank))
	}
	total := ds.elemSize
	for i := 0; i < rank; i++ {
		if start[i] < 0 || count[i] < 0 || start[i] > ds.shape[i] || count[i] > ds.shape[i]-start[i] {
			return ds.wrapErr(fmt.Errorf("hyperslab start %v count %v outside shape %v", start, count, ds.shape))
		}
		total *= count[i]
	}
	if len(dst) != total {
		return ds.wrapErr(fmt.Errorf("destination has %d bytes, hyperslab needs %d", len(dst), total))
	}
	if total == 0 {
		return nil
	}
	shape := ds.shape
	if rank == 0 {
		start, count, shape = []int{0}, []int{1}, []int{1}
	}
	var err error
	switch ds.layout.kind {
	case LayoutCompact:
		need := ds.elemSize
		for _, v := range shape {
			need *= v
		}
		if len(ds.layout.compact) < need {
			err = corruptf("compact data has %d bytes, need %d", len(ds.layout.compact), need)
			break
		}
		copyBox(dst, count, make([]int, len(count)), ds.layout.compact, shape, start, count, ds.elemSize)
	case LayoutContiguous:
		err = ds.readContiguous(shape, start, count, dst)
	case LayoutChunked:
		if rank == 0 {
			err = corruptf("chunked scalar dataset")
			break
		}
		if ferr := checkFilters(ds.filters, ds.path); ferr != nil {
			// The message already names the variable.
			return &Error{File: ds.file.name, Err: ferr}
		}
		err = ds.readChunked(start, count, dst, workers)
	default:
		err = unsupportedf("%s layout", ds.layout.kind)
	}
	if err != nil {
		return ds.wrapErr(err)
	}
	swapElements(dst, ds.dtype.swapSpans(0, nil), ds.elemSize)
	return nil
}

// readContiguous reads a hyperslab of contiguously stored data.
func (ds *Dataset) readContiguous(shape, start, count []int, dst []byte) error {
	if ds.external {
		return unsupportedf("external data files")
	}
	f := ds.file
	if ds.layout.addr == undefAddr {
		fillBox(dst, count, make([]int, len(count)), count, ds.fill, ds.elemSize)
		return nil
	}
	es := uint64(ds.elemSize)
	rowElems := uint64(1)
	for _, v := range shape[1:] {
		rowElems *= uint64(v)
	}
	need, ok := checkedMul(uint64(ds.NumElements()), es, uint64(f.size))
	if !ok || ds.layout.addr > uint64(f.size) || need > uint64(f.size)-ds.layout.addr {
		return corruptf("contiguous data [%d,+%d) beyond end of file", ds.layout.addr, need)
	}
	if ds.layout.version >= 3 && ds.layout.size < need {
		return corruptf("contiguous storage of %d bytes, need %d", ds.layout.size, need)
	}
	// Read the slab of whole outer rows when that is not much more than needed.
	span := uint64(count[0]) * rowElems * es
	if span <= 2*uint64(len(dst))+1<<20 {
		buf := getBuf(int(span))
		defer putBuf(buf)
		off := ds.layout.addr + uint64(start[0])*rowElems*es
		if err := f.readInto(*buf, off, "contiguous data"); err != nil {
			return err
		}
		srcShape := append([]int{count[0]}, shape[1:]...)
		srcStart := append([]int{0}, start[1:]...)
		copyBox(dst, count, make([]int, len(count)), *buf, srcShape, srcStart, count, ds.elemSize)
		return nil
	}
	// Otherwise read run by run (last-dimension runs).
	rank := len(shape)
	run := count[rank-1] * ds.elemSize
	idx := make([]int, rank)
	copy(idx, start)
	for p := 0; p < len(dst); p += run {
		lin := uint64(0)
		for i := 0; i < rank; i++ {
			lin = lin*uint64(shape[i]) + uint64(idx[i])
		}
		if err := f.readInto(dst[p:p+run], ds.layout.addr+lin*es, "contiguous data"); err != nil {
			return err
		}
		for k := rank - 2; k >= 0; k-- {
			idx[k]++
			if idx[k] < start[k]+count[k] {
				break
			}
			idx[k] = start[k]
		}
	}
	return nil
}

// readChunked reads a hyperslab of chunked data, decoding only the chunks
// that overlap it.
func (ds *Dataset) readChunked(start, count []int, dst []byte, workers int) error {
	ci, err := ds.chunkIdx()
	if err != nil {
		return wrapf(err, "chunk index")
	}
	rank := len(start)
	chunk := ds.layout.chunk
	lo := make([]int, rank)
	hi := make([]int, rank)
	nchunks := 1
	for i := range lo {
		lo[i] = start[i] / chunk[i]
		hi[i] = (start[i] + count[i] - 1) / chunk[i]
		nchunks *= hi[i] - lo[i] + 1
	}
	next := func(c []int) bool {
		for k := rank - 1; k >= 0; k-- {
			c[k]++
			if c[k] <= hi[k] {
				return true
			}
			c[k] = lo[k]
		}
		return false
	}
	if workers <= 1 || nchunks == 1 {
		c := append([]int(nil), lo...)
		for {
			if err := ds.readChunkInto(ci, c, start, count, dst); err != nil {
				return err
			}
			if !next(c) {
				return nil
			}
		}
	}
	if workers > nchunks {
		workers = nchunks
	}
	jobs := make(chan []int, workers)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	done := make(chan struct{})
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				if err := ds.readChunkInto(ci, c, start, count, dst); err != nil {
					once.Do(func() { firstErr = err; close(done) })
				}
			}
		}()
	}
	c := append([]int(nil), lo...)
feed:
	for {
		select {
		case jobs <- append([]int(nil), c...):
		case <-done:
			break feed
		}
		if !next(c) {
			break
		}
	}
	close(jobs)
	wg.Wait()
	return firstErr
}

// readChunkInto decodes chunk c (grid coordinates) and copies its overlap
// with the hyperslab into dst.
func (ds *Dataset) readChunkInto(ci *chunkIndex, c, start, count []int, dst []byte) error {
	rank := len(c)
	chunk := ds.layout.chunk
	var a, box, srcOrigin [maxRank]int
	partial := false
	for i := 0; i < rank; i++ {
		origin := c[i] * chunk[i]
		lo := max(start[i], origin)
		hi := min(start[i]+count[i], origin+chunk[i])
		a[i] = lo - start[i]
		box[i] = hi - lo
		srcOrigin[i] = lo - origin
		if origin+chunk[i] > ds.shape[i] {
			partial = true
		}
	}
	e, ok := ci.lookup(c, ds.chunkBytes)
	if !ok {
		fillBox(dst, count, a[:rank], box[:rank], ds.fill, ds.elemSize)
		return nil
	}
	data, shuffled, err := ds.readChunk(e, partial)
	if err != nil {
		return wrapf(err, "chunk %s", chunkName(c))
	}
	if shuffled > 0 {
		// Unshuffle straight into dst: one pass over the chunk instead
		// of two.
		n := len(*data) / shuffled
		eachRun(count, a[:rank], chunk, srcOrigin[:rank], box[:rank], ds.elemSize, func(dOff, sOff, run int) {
			interleave(dst[dOff:dOff+run], *data, n, sOff/shuffled, shuffled)
		})
	} else {
		copyBox(dst, count, a[:rank], *data, chunk, srcOrigin[:rank], box[:rank], ds.elemSize)
	}
	putBuf(data)
	return nil
}

// readChunk reads and decodes one stored chunk, returning a pooled buffer
// of chunkBytes bytes. When shuffled > 0 the bytes are still shuffled with
// that element size (see runPipeline's keepShuffle).
func (ds *Dataset) readChunk(e chunkEntry, partial bool) (data *[]byte, shuffled int, err error) {
	f := ds.file
	if e.addr > uint64(f.size) || e.size > uint64(f.size)-e.addr {
		return nil, 0, corruptf("chunk [%d,+%d) beyond end of file", e.addr, e.size)
	}
	mask := e.mask
	if partial && ds.layout.flags&flagDontFilterPartial != 0 {
		mask = ^uint32(0)
	}
	filtered := false
	for i := range ds.filters {
		if mask&(1<<uint(i)) == 0 {
			filtered = true
		}
	}
	if max := maxStored(ds.filters, mask, ds.chunkBytes); e.size > max {
		how := "unfiltered"
		if filtered {
			how = describeFilters(ds.filters)
		}
		return nil, 0, corruptf("chunk stores %d bytes, more than a %d-byte chunk takes %s (at most %d)", e.size, ds.chunkBytes, how, max)
	}
	if !filtered {
		if e.size < ds.chunkBytes {
			return nil, 0, corruptf("chunk has %d bytes, want %d", e.size, ds.chunkBytes)
		}
		buf := getBuf(int(ds.chunkBytes))
		if err := f.readInto(*buf, e.addr, "chunk"); err != nil {
			putBuf(buf)
			return nil, 0, err
		}
		return buf, 0, nil
	}
	raw := getBuf(int(e.size))
	if err := f.readInto(*raw, e.addr, "chunk"); err != nil {
		putBuf(raw)
		return nil, 0, err
	}
	return runPipeline(ds.filters, mask, raw, int(ds.chunkBytes), ds.elemSize, true)
}

// chunkName formats grid coordinates as "(3,5)".
func chunkName(c []int) string {
	parts := make([]string, len(c))
	for i, v := range c {
		parts[i] = strconv.Itoa(v)
	}
	return "(" + strings.Join(parts, ",") + ")"
}

// strides returns C-order element strides in bytes for dims.
func strides(dims []int, es int, out []int) {
	s := es
	for i := len(dims) - 1; i >= 0; i-- {
		out[i] = s
		s *= dims[i]
	}
}

// copyBox copies a box of box[] elements from src (dimensions sdims, box at
// so) to dst (dimensions ddims, box at do), es bytes per element.
func copyBox(dst []byte, ddims, do []int, src []byte, sdims, so []int, box []int, es int) {
	eachRun(ddims, do, sdims, so, box, es, func(dOff, sOff, run int) {
		copy(dst[dOff:dOff+run], src[sOff:sOff+run])
	})
}

// eachRun calls f with the byte offsets in dst and src and the length of
// every contiguous run of copyBox's box, in order.
func eachRun(ddims, do []int, sdims, so []int, box []int, es int, f func(dOff, sOff, run int)) {
	rank := len(box)
	var ds, ss, idx [maxRank]int
	strides(ddims, es, ds[:rank])
	strides(sdims, es, ss[:rank])
	dOff, sOff := 0, 0
	for i := 0; i < rank; i++ {
		if box[i] == 0 {
			return
		}
		dOff += do[i] * ds[i]
		sOff += so[i] * ss[i]
	}
	// Merge trailing dimensions that are contiguous in both arrays.
	r := rank
	run := box[r-1] * es
	for r > 1 && box[r-1] == ddims[r-1] && box[r-1] == sdims[r-1] {
		r--
		run *= box[r-1]
	}
	for {
		f(dOff, sOff, run)
		k := r - 2
		for ; k >= 0; k-- {
			idx[k]++
			dOff += ds[k]
			sOff += ss[k]
			if idx[k] < box[k] {
				break
			}
			dOff -= box[k] * ds[k]
			sOff -= box[k] * ss[k]
			idx[k] = 0
		}
		if k < 0 {
			return
		}
	}
}

// fillBox writes the fill value (zeros when nil) into a box of dst.
func fillBox(dst []byte, ddims, do []int, box []int, fill []byte, es int) {
	rank := len(box)
	n := 1
	for _, b := range box {
		n *= b
	}
	if n == 0 {
		return
	}
	run := box[rank-1]
	pat := make([]byte, run*es)
	if fill != nil {
		for i := 0; i < run; i++ {
			copy(pat[i*es:], fill)
		}
	}
	// Copy the pattern row to each row of the box.
	var ds, idx [maxRank]int
	strides(ddims, es, ds[:rank])
	off := 0
	for i := 0; i < rank; i++ {
		off += do[i] * ds[i]
	}
	for {
		copy(dst[off:off+len(pat)], pat)
		k := rank - 2
		for ; k >= 0; k-- {
			idx[k]++
			off += ds[k]
			if idx[k] < box[k] {
				break
			}
			off -= box[k] * ds[k]
			idx[k] = 0
		}
		if k < 0 {
			return
		}
	}
}

// swapElements reverses the given byte spans of every element of buf.
func swapElements(buf []byte, spans [][2]int, es int) {
	if len(spans) == 0 {
		return
	}
	if len(spans) == 1 && spans[0][0] == 0 && spans[0][1] == es {
		byteswap.Swap(buf, es) // whole elements
		return
	}
	for e := 0; e+es <= len(buf); e += es {
		for _, sp := range spans {
			b := buf[e+sp[0] : e+sp[0]+sp[1]]
			for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
				b[i], b[j] = b[j], b[i]
			}
		}
	}
}
