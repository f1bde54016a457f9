package zarr

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/pierrec/lz4/v4"
)

// The blosc1 container, as numcodecs' Blosc compressor writes it:
//
//	byte 0      format version (1 or 2)
//	byte 1      codec format version
//	byte 2      flags: 0x01 byte shuffle, 0x02 stored uncompressed
//	            ("memcpyed"), 0x04 bit shuffle, 0x10 blocks not split,
//	            bits 5-7 the codec (0 blosclz, 1 lz4, 2 snappy, 3 zlib, 4 zstd)
//	byte 3      type size
//	bytes 4-15  little-endian uint32s: nbytes (decoded size), blocksize,
//	            cbytes (container size)
//
// A memcpyed container holds the nbytes bytes right after the header.
// Otherwise an array of uint32 block offsets follows, one per block of
// blocksize bytes (the last block holds the remainder), and each block is
// one stream, or typesize streams when it is split, each stream a uint32
// length and that many bytes: compressed, or raw when the length equals the
// stream's decoded size. Shuffles apply per block, after decoding.
const (
	bloscHeaderSize = 16
	bloscVersion    = 2

	bloscFlagShuffle    = 0x01
	bloscFlagMemcpyed   = 0x02
	bloscFlagBitShuffle = 0x04
	bloscFlagDontSplit  = 0x10

	bloscMaxSplits     = 16  // split only for type sizes up to this
	bloscMinBufferSize = 128 // and blocks of at least this many elements
	bloscL1            = 32 << 10
)

// The blosc codec numbers stored in bits 5-7 of the flags.
const (
	bloscBloscLZ = 0
	bloscLZ4     = 1
	bloscSnappy  = 2
	bloscZlib    = 3
	bloscZstd    = 4
)

// bloscCodes maps the cname values chunkpipe handles to codec numbers.
var bloscCodes = map[string]int{"blosclz": bloscBloscLZ, "lz4": bloscLZ4, "lz4hc": bloscLZ4, "zlib": bloscZlib, "zstd": bloscZstd}

// The shuffle settings of numcodecs' Blosc.
const (
	shuffleNone = 0
	shuffleByte = 1
	shuffleBit  = 2
)

// bloscCodec is numcodecs' Blosc compressor. Decoding follows the header of
// each chunk, whatever the configuration says; encoding writes lz4, zlib or
// zstd streams (not blosclz) with the configured shuffle.
type bloscCodec struct {
	cname     string
	clevel    int
	shuffle   int
	blocksize int // 0: automatic
	typesize  int // element size used when encoding
}

// Stream codecs used inside blosc containers.
var (
	bloscZlibCodec = &flateCodec{format: formatZlib, level: 1, readers: new(sync.Pool), writers: new(sync.Pool)}
	bloscZstdCodec = &zstdCodec{level: 1}
)

func (c bloscCodec) String() string {
	return fmt.Sprintf("blosc(cname=%s, clevel=%d, shuffle=%d, blocksize=%d)", c.cname, c.clevel, c.shuffle, c.blocksize)
}

func (c bloscCodec) config() map[string]any {
	return map[string]any{"id": "blosc", "cname": c.cname, "clevel": c.clevel, "shuffle": c.shuffle, "blocksize": c.blocksize}
}

func (c bloscCodec) decode(dst, src []byte) error { return bloscDecode(dst, src) }

// bloscDecode decodes a blosc1 container that must hold exactly len(dst)
// bytes.
func bloscDecode(dst, src []byte) error {
	if len(src) < bloscHeaderSize {
		return fmt.Errorf("blosc: %d-byte input is shorter than the header", len(src))
	}
	if v := src[0]; v < 1 || v > bloscVersion {
		return fmt.Errorf("blosc: unsupported format version %d (blosc1 writes 1 or 2)", v)
	}
	flags, typesize := src[2], int(src[3])
	le := binary.LittleEndian
	nbytes, blocksize, cbytes := le.Uint32(src[4:]), le.Uint32(src[8:]), le.Uint32(src[12:])
	if uint64(nbytes) != uint64(len(dst)) {
		return fmt.Errorf("blosc: header says %d bytes, want %d", nbytes, len(dst))
	}
	if cbytes < bloscHeaderSize || uint64(cbytes) > uint64(len(src)) {
		return fmt.Errorf("blosc: header says %d compressed bytes, input has %d", cbytes, len(src))
	}
	src = src[:cbytes]
	if flags&bloscFlagMemcpyed != 0 {
		if len(src)-bloscHeaderSize < len(dst) {
			return fmt.Errorf("blosc: uncompressed container holds %d bytes, want %d", len(src)-bloscHeaderSize, len(dst))
		}
		copy(dst, src[bloscHeaderSize:])
		return nil
	}
	if len(dst) == 0 {
		return nil
	}
	if typesize == 0 || blocksize == 0 {
		return fmt.Errorf("blosc: bad header: typesize %d, blocksize %d", typesize, blocksize)
	}
	bs := int(min(uint64(blocksize), uint64(len(dst))))
	nblocks := (len(dst) + bs - 1) / bs
	if bloscHeaderSize+4*nblocks > len(src) {
		return fmt.Errorf("blosc: %d block offsets do not fit in %d bytes", nblocks, len(src))
	}
	format := int(flags >> 5)
	shuffle := flags&bloscFlagShuffle != 0 && typesize > 1
	bitShuffle := !shuffle && flags&bloscFlagBitShuffle != 0
	var tmp []byte
	if shuffle || bitShuffle {
		tmp = make([]byte, bs)
	}
	for j := 0; j < nblocks; j++ {
		out := dst[j*bs : min((j+1)*bs, len(dst))]
		leftover := len(out) < bs || (uint64(blocksize) > uint64(len(dst)))
		start := le.Uint32(src[bloscHeaderSize+4*j:])
		if uint64(start) < uint64(bloscHeaderSize+4*nblocks) || uint64(start) > uint64(len(src)) {
			return fmt.Errorf("blosc: block %d starts at %d, outside %d bytes", j, start, len(src))
		}
		target := out
		if tmp != nil {
			target = tmp[:len(out)]
		}
		nsplits := 1
		if flags&bloscFlagDontSplit == 0 && typesize <= bloscMaxSplits && len(out)/typesize >= bloscMinBufferSize && !leftover {
			nsplits = typesize
		}
		if len(out)%nsplits != 0 {
			return fmt.Errorf("blosc: block %d of %d bytes does not split into %d streams", j, len(out), nsplits)
		}
		if err := bloscBlock(target, src, int(start), nsplits, format); err != nil {
			return fmt.Errorf("blosc: block %d: %w", j, err)
		}
		switch {
		case shuffle:
			unshuffle(out, target, typesize)
		case bitShuffle:
			bitUnshuffle(out, target, typesize)
		}
	}
	return nil
}

// bloscBlock decodes the nsplits streams starting at src[p:] into dst.
func bloscBlock(dst, src []byte, p, nsplits, format int) error {
	n := len(dst) / nsplits
	for k := 0; k < nsplits; k++ {
		if p+4 > len(src) {
			return fmt.Errorf("stream %d: length past the end of the input", k)
		}
		cb := int(binary.LittleEndian.Uint32(src[p:]))
		p += 4
		if cb < 0 || cb > len(src)-p {
			return fmt.Errorf("stream %d: %d bytes past the end of the input", k, cb)
		}
		part, stream := dst[k*n:(k+1)*n], src[p:p+cb]
		p += cb
		if cb == n {
			copy(part, stream)
			continue
		}
		var err error
		switch format {
		case bloscBloscLZ:
			var got int
			if got, err = blosclzDecode(part, stream); err == nil && got != n {
				err = fmt.Errorf("blosclz: decoded %d bytes, want %d", got, n)
			}
		case bloscLZ4:
			err = lz4Block(part, stream)
		case bloscZlib:
			err = bloscZlibCodec.decode(part, stream)
		case bloscZstd:
			err = bloscZstdCodec.decode(part, stream)
		case bloscSnappy:
			err = fmt.Errorf("unsupported blosc codec snappy")
		default:
			err = fmt.Errorf("unsupported blosc codec number %d", format)
		}
		if err != nil {
			return fmt.Errorf("stream %d: %w", k, err)
		}
	}
	return nil
}

// bloscBlockSize picks the block size the way c-blosc 1.x does for its
// automatic setting: 32 KiB scaled by level, doubled for the slower codecs.
func bloscBlockSize(nbytes, typesize, clevel int, hcr bool) int {
	if nbytes < typesize {
		return 1
	}
	bs := nbytes
	if nbytes >= bloscL1 {
		bs = bloscL1
		if hcr {
			bs *= 2
		}
		switch {
		case clevel == 0:
			bs /= 4
		case clevel <= 3:
			bs /= 2
		case clevel <= 5:
		case clevel <= 6:
			bs *= 2
		case clevel < 9:
			bs *= 4
		default:
			bs *= 16
		}
	}
	bs = min(bs, nbytes)
	if bs > typesize {
		bs = bs / typesize * typesize
	}
	return bs
}

func (c bloscCodec) encode(dst, src []byte) ([]byte, error) {
	format, ok := bloscCodes[c.cname]
	if !ok || format == bloscBloscLZ {
		return nil, fmt.Errorf("blosc: encoding with codec %q is not supported (use lz4, zlib or zstd)", c.cname)
	}
	if int64(len(src)) > maxChunkBytes-bloscHeaderSize {
		return nil, fmt.Errorf("blosc: %d-byte chunk is too large for a blosc container", len(src))
	}
	typesize := max(c.typesize, 1)
	if typesize > 255 {
		typesize = 1
	}
	flags := byte(format<<5) | bloscFlagDontSplit
	switch {
	case c.shuffle == shuffleByte && typesize > 1:
		flags |= bloscFlagShuffle
	case c.shuffle == shuffleBit:
		flags |= bloscFlagBitShuffle
	}
	start := len(dst)
	header := func(flags byte, cbytes int) {
		h := dst[start : start+bloscHeaderSize]
		h[0], h[1], h[2], h[3] = bloscVersion, 1, flags, byte(typesize)
		le := binary.LittleEndian
		le.PutUint32(h[4:], uint32(len(src)))
		le.PutUint32(h[12:], uint32(cbytes))
	}
	memcpyed := func() []byte {
		dst = append(dst[:start], make([]byte, bloscHeaderSize)...)
		dst = append(dst, src...)
		header(bloscFlagMemcpyed|byte(format<<5)|bloscFlagDontSplit, len(dst)-start)
		binary.LittleEndian.PutUint32(dst[start+8:], uint32(max(len(src), 1)))
		return dst
	}
	if c.clevel == 0 || len(src) == 0 {
		return memcpyed(), nil
	}
	bs := bloscBlockSize(len(src), typesize, c.clevel, format != bloscLZ4)
	if c.blocksize > 0 {
		bs = min(max(c.blocksize/typesize*typesize, bloscMinBufferSize), len(src))
	}
	nblocks := (len(src) + bs - 1) / bs
	dst = append(dst, make([]byte, bloscHeaderSize+4*nblocks)...)
	tmp := make([]byte, bs)
	limit := start + bloscHeaderSize + len(src)
	for j := 0; j < nblocks; j++ {
		in := src[j*bs : min((j+1)*bs, len(src))]
		binary.LittleEndian.PutUint32(dst[start+bloscHeaderSize+4*j:], uint32(len(dst)-start))
		switch {
		case flags&bloscFlagShuffle != 0:
			shuffleBytes(tmp[:len(in)], in, typesize)
			in = tmp[:len(in)]
		case flags&bloscFlagBitShuffle != 0:
			bitShuffle(tmp[:len(in)], in, typesize)
			in = tmp[:len(in)]
		}
		var err error
		if dst, err = bloscStream(dst, in, format); err != nil {
			return nil, fmt.Errorf("blosc: block %d: %w", j, err)
		}
		if len(dst) > limit {
			return memcpyed(), nil
		}
	}
	header(flags, len(dst)-start)
	binary.LittleEndian.PutUint32(dst[start+8:], uint32(bs))
	return dst, nil
}

// bloscStream appends one stream holding in: its length, then the data
// compressed, or raw when compression does not make it smaller.
func bloscStream(dst, in []byte, format int) ([]byte, error) {
	at := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	var err error
	switch format {
	case bloscLZ4:
		dst = append(dst, make([]byte, lz4.CompressBlockBound(len(in)))...)
		var n int
		n, err = lz4.CompressBlock(in, dst[at+4:], nil)
		dst = dst[:at+4+n]
	case bloscZlib:
		dst, err = bloscZlibCodec.encode(dst, in)
	case bloscZstd:
		dst, err = bloscZstdCodec.encode(dst, in)
	}
	if err != nil {
		return nil, err
	}
	n := len(dst) - at - 4
	if n == 0 || n >= len(in) {
		dst = append(dst[:at+4], in...)
		n = len(in)
	}
	binary.LittleEndian.PutUint32(dst[at:], uint32(n))
	return dst, nil
}
