package zarr

// Blosc's shuffles reorder a block before compression so that bytes (or
// bits) of equal significance sit together. A block of n = len/size whole
// elements is transformed; the trailing len%size bytes are copied as they
// are.

// shuffleBytes writes the byte shuffle of src into dst: byte j of element i
// goes to dst[j*n+i].
func shuffleBytes(dst, src []byte, size int) {
	n := len(src) / size
	for j := 0; j < size; j++ {
		row := dst[j*n : (j+1)*n]
		for i := range row {
			row[i] = src[i*size+j]
		}
	}
	copy(dst[n*size:], src[n*size:])
}

// unshuffle inverts shuffleBytes.
func unshuffle(dst, src []byte, size int) {
	n := len(src) / size
	switch size {
	case 4:
		r0, r1, r2, r3 := src[:n], src[n:2*n], src[2*n:3*n], src[3*n:4*n]
		d := dst[:4*n]
		for i := range r0 {
			d[4*i], d[4*i+1], d[4*i+2], d[4*i+3] = r0[i], r1[i], r2[i], r3[i]
		}
	default:
		for j := 0; j < size; j++ {
			row := src[j*n : (j+1)*n]
			for i, b := range row {
				dst[i*size+j] = b
			}
		}
	}
	copy(dst[n*size:], src[n*size:])
}

// bitShuffle writes the bit shuffle of src into dst as c-blosc 1.x does
// (the bitshuffle library's layout): bit k of byte j of element i goes to
// bit i%8 of dst[(j*8+k)*(n/8)+i/8]. Blocks whose element count is not a
// multiple of eight are copied unchanged.
func bitShuffle(dst, src []byte, size int) {
	n := len(src) / size
	if n%8 != 0 {
		copy(dst, src)
		return
	}
	clear(dst[:n*size])
	rowLen := n / 8
	for i := 0; i < n; i++ {
		for j := 0; j < size; j++ {
			b := src[i*size+j]
			for k := 0; k < 8; k++ {
				dst[(j*8+k)*rowLen+i/8] |= (b >> k & 1) << (i % 8)
			}
		}
	}
	copy(dst[n*size:], src[n*size:])
}

// bitUnshuffle inverts bitShuffle.
func bitUnshuffle(dst, src []byte, size int) {
	n := len(src) / size
	if n%8 != 0 {
		copy(dst, src)
		return
	}
	rowLen := n / 8
	for j := 0; j < size; j++ {
		for i := 0; i < n; i++ {
			var b byte
			for k := 0; k < 8; k++ {
				b |= (src[(j*8+k)*rowLen+i/8] >> (i % 8) & 1) << k
			}
			dst[i*size+j] = b
		}
	}
	copy(dst[n*size:], src[n*size:])
}
