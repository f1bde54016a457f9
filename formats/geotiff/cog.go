package geotiff

import (
	"bufio"
	"fmt"
	"math"

	"chunkpipe/chunk"
)

// ghostHeader returns GDAL's structural metadata block that follows the
// TIFF header of a COG, padded to an even length.
func ghostHeader() []byte {
	body := "LAYOUT=IFDS_BEFORE_DATA\n" +
		"BLOCK_ORDER=ROW_MAJOR\n" +
		"BLOCK_LEADER=SIZE_AS_UINT4\n" +
		"BLOCK_TRAILER=LAST_4_BYTES_REPEATED\n" +
		"KNOWN_INCOMPATIBLE_EDITION=NO\n"
	first := "GDAL_STRUCTURAL_METADATA_SIZE=000000 bytes\n"
	if (len(first)+len(body))%2 == 1 {
		body += " "
	}
	return []byte(fmt.Sprintf("GDAL_STRUCTURAL_METADATA_SIZE=%06d bytes\n", len(body)) + body)
}

// commitCOG builds the overviews from the staged tiles and writes the final
// file: header, ghost header, IFDs of every level (full resolution first),
// then the tiles of the smallest overview up to the full resolution, each
// with a 4-byte little-endian size before it and its last 4 bytes repeated
// after it.
func (w *Writer) commitCOG() error {
	levels := []*level{&w.base}
	for l := levels[0]; l.width > l.tw || l.height > l.th; l = levels[len(levels)-1] {
		ov, err := w.buildOverview(l)
		if err != nil {
			return err
		}
		levels = append(levels, ov)
	}
	hdrLen := 8
	if w.big {
		hdrLen = 16
	}
	ghost := ghostHeader()
	ifdAt := make([]uint64, len(levels)+1)
	ifdAt[0] = uint64(hdrLen + len(ghost))
	for i, l := range levels {
		ifdAt[i+1] = ifdAt[i] + uint64(len(encodeIFD(w.imageEntries(l, i > 0), w.big, ifdAt[i], 0)))
	}
	staged := make([][]uint64, len(levels))
	pos := ifdAt[len(levels)]
	for i := len(levels) - 1; i >= 0; i-- {
		l := levels[i]
		staged[i] = append([]uint64(nil), l.offsets...)
		for t := range l.offsets {
			if l.counts[t] == 0 {
				l.offsets[t] = 0
				continue
			}
			l.offsets[t] = pos + 4
			pos += l.counts[t] + 8
		}
	}
	if !w.big && pos > math.MaxUint32 {
		return fileErr(w.spec.Path, "COG would pass 4 GiB as classic TIFF; use bigtiff=yes")
	}
	bw := bufio.NewWriterSize(w.out.File, 1<<20)
	bw.Write(header(w.big, ifdAt[0]))
	bw.Write(ghost)
	for i, l := range levels {
		next := ifdAt[i+1]
		if i == len(levels)-1 {
			next = 0
		}
		bw.Write(encodeIFD(w.imageEntries(l, i > 0), w.big, ifdAt[i], next))
	}
	var buf []byte
	var frame [4]byte
	for i := len(levels) - 1; i >= 0; i-- {
		l := levels[i]
		for t := range l.offsets {
			n := l.counts[t]
			if n == 0 {
				continue
			}
			if cap(buf) < int(n) {
				buf = make([]byte, n)
			}
			buf = buf[:n]
			if err := readFull(w.stage, w.end.Load(), buf, int64(staged[i][t])); err != nil {
				return fileErr(w.spec.Path, "read staged tile: %v", err)
			}
			le.PutUint32(frame[:], uint32(n))
			bw.Write(frame[:])
			bw.Write(buf)
			if n >= 4 {
				bw.Write(buf[n-4:])
			} else {
				clear(frame[:])
				copy(frame[4-n:], buf)
				bw.Write(frame[:])
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fileErr(w.spec.Path, "write COG: %v", err)
	}
	return nil
}

// buildOverview makes the 2x averaged level below src from src's staged
// tiles, one row of tiles at a time, and stages its tiles too.
func (w *Writer) buildOverview(src *level) (*level, error) {
	ovl := newLevel((src.width+1)/2, (src.height+1)/2, src.tw, src.th)
	ov := &ovl
	sz := w.dtype.Size() * w.spp // bytes per pixel: samples are interleaved
	th, tw := src.th, src.tw
	strip := chunk.AlignedBytes(th * src.width * sz)
	half := chunk.AlignedBytes(((th + 1) / 2) * ov.width * sz)
	acc := chunk.AlignedBytes(th * ov.width * sz)
	bb := w.bufs.Get().(*blockBuf)
	defer w.bufs.Put(bb)
	var raw []byte
	for pr := 0; pr < src.down; pr++ {
		rows := min(th, src.height-pr*th)
		for pc := 0; pc < src.across; pc++ {
			idx := pr*src.across + pc
			cols := min(tw, src.width-pc*tw)
			if n := src.counts[idx]; n == 0 {
				w.fillTile(bb.data)
			} else {
				if cap(raw) < int(n) {
					raw = make([]byte, n)
				}
				raw = raw[:n]
				if err := readFull(w.stage, w.end.Load(), raw, int64(src.offsets[idx])); err != nil {
					return nil, fileErr(w.spec.Path, "read staged tile: %v", err)
				}
				if err := w.decodeTile(bb, raw, tw); err != nil {
					return nil, fileErr(w.spec.Path, "overview: %v", err)
				}
			}
			for r := 0; r < rows; r++ {
				copy(strip[(r*src.width+pc*tw)*sz:][:cols*sz], bb.data[r*tw*sz:][:cols*sz])
			}
		}
		halve2x2(w.dtype, half, strip[:rows*src.width*sz], rows, src.width, w.spp, w.fill, w.hasFill)
		hrows := (rows + 1) / 2
		r0 := (pr % 2) * (th / 2)
		copy(acc[r0*ov.width*sz:], half[:hrows*ov.width*sz])
		if pr%2 == 1 || pr == src.down-1 {
			otr := pr / 2
			orows := min(th, ov.height-otr*th)
			// The view's pixels hold w.spp interleaved samples each.
			view := &chunk.Array{DType: w.dtype, Rect: chunk.Rect(otr*th, 0, otr*th+orows, ov.width), Stride: ov.width, Data: acc[:orows*ov.width*sz]}
			for oc := 0; oc < ov.across; oc++ {
				tb := w.bufs.Get().(*blockBuf)
				clear(tb.data)
				copyIntoTile(tb.data, ov, otr, oc, view, ov.tileRect(otr, oc), w.spp)
				ov.written[otr*ov.across+oc] = true
				if err := w.emit(ov, otr*ov.across+oc, tb); err != nil {
					return nil, err
				}
			}
		}
	}
	return ov, nil
}

// fillTile sets a tile buffer to the nodata value (zero without one).
func (w *Writer) fillTile(b []byte) {
	clear(b)
	if !w.hasFill {
		return
	}
	sz := w.dtype.Size()
	encodeValue(b[:sz], w.dtype, w.fill)
	for i := sz; i < len(b); i += sz {
		copy(b[i:i+sz], b[:sz])
	}
}
