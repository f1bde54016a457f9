package hdf5

import "math/bits"

// lookup3 computes Bob Jenkins' lookup3 "hashlittle" hash with initial value
// 0, which HDF5 uses for metadata checksums and link/attribute name hashes.
func lookup3(k []byte) uint32 {
	n := len(k)
	a := uint32(0xdeadbeef) + uint32(n)
	b, c := a, a
	for n > 12 {
		a += uint32(k[0]) | uint32(k[1])<<8 | uint32(k[2])<<16 | uint32(k[3])<<24
		b += uint32(k[4]) | uint32(k[5])<<8 | uint32(k[6])<<16 | uint32(k[7])<<24
		c += uint32(k[8]) | uint32(k[9])<<8 | uint32(k[10])<<16 | uint32(k[11])<<24
		a -= c
		a ^= bits.RotateLeft32(c, 4)
		c += b
		b -= a
		b ^= bits.RotateLeft32(a, 6)
		a += c
		c -= b
		c ^= bits.RotateLeft32(b, 8)
		b += a
		a -= c
		a ^= bits.RotateLeft32(c, 16)
		c += b
		b -= a
		b ^= bits.RotateLeft32(a, 19)
		a += c
		c -= b
		c ^= bits.RotateLeft32(b, 4)
		b += a
		n -= 12
		k = k[12:]
	}
	if n == 0 {
		return c
	}
	var tail [12]byte
	copy(tail[:], k[:n])
	a += uint32(tail[0]) | uint32(tail[1])<<8 | uint32(tail[2])<<16 | uint32(tail[3])<<24
	b += uint32(tail[4]) | uint32(tail[5])<<8 | uint32(tail[6])<<16 | uint32(tail[7])<<24
	c += uint32(tail[8]) | uint32(tail[9])<<8 | uint32(tail[10])<<16 | uint32(tail[11])<<24
	c ^= b
	c -= bits.RotateLeft32(b, 14)
	a ^= c
	a -= bits.RotateLeft32(c, 11)
	b ^= a
	b -= bits.RotateLeft32(a, 25)
	c ^= b
	c -= bits.RotateLeft32(b, 16)
	a ^= c
	a -= bits.RotateLeft32(c, 4)
	b ^= a
	b -= bits.RotateLeft32(a, 14)
	c ^= b
	c -= bits.RotateLeft32(b, 24)
	return c
}

// verifyChecksum checks that the last four bytes of block are the
// little-endian lookup3 checksum of the bytes before them.
func verifyChecksum(block []byte, what string) error {
	if len(block) < 4 {
		return corruptf("%s: block too short for checksum", what)
	}
	n := len(block) - 4
	want := uint32(block[n]) | uint32(block[n+1])<<8 | uint32(block[n+2])<<16 | uint32(block[n+3])<<24
	if got := lookup3(block[:n]); got != want {
		return corruptf("%s: checksum mismatch (stored %#08x, computed %#08x)", what, want, got)
	}
	return nil
}

// fletcher32 computes the HDF5 variant of the Fletcher-32 checksum (16-bit
// big-endian words, odd trailing byte as the high byte of a last word).
func fletcher32(data []byte) uint32 {
	var sum1, sum2 uint32
	n := len(data) / 2
	p := 0
	for n > 0 {
		t := n
		if t > 360 {
			t = 360
		}
		n -= t
		for ; t > 0; t-- {
			sum1 += uint32(data[p])<<8 | uint32(data[p+1])
			p += 2
			sum2 += sum1
		}
		sum1 = (sum1 & 0xffff) + (sum1 >> 16)
		sum2 = (sum2 & 0xffff) + (sum2 >> 16)
	}
	if len(data)%2 == 1 {
		sum1 += uint32(data[p]) << 8
		sum2 += sum1
		sum1 = (sum1 & 0xffff) + (sum1 >> 16)
		sum2 = (sum2 & 0xffff) + (sum2 >> 16)
	}
	sum1 = (sum1 & 0xffff) + (sum1 >> 16)
	sum2 = (sum2 & 0xffff) + (sum2 >> 16)
	return sum2<<16 | sum1
}
