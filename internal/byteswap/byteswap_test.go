package byteswap

import (
	"bytes"
	"testing"
)

// reversed is the reference: every whole size-byte element reversed.
func reversed(src []byte, size int) []byte {
	out := append([]byte(nil), src...)
	for e := 0; e+size <= len(out); e += size {
		for i := 0; i < size; i++ {
			out[e+i] = src[e+size-1-i]
		}
	}
	return out
}

// Swap and Copy reverse every element for each size, in place and into
// another buffer, on aligned and unaligned memory, leaving a trailing
// partial element alone; swapping twice restores the data.
func TestSwapAndCopy(t *testing.T) {
	backing := make([]byte, 8*40+9)
	for i := range backing {
		backing[i] = byte(i*7 + 3)
	}
	for _, size := range []int{1, 2, 3, 4, 8, 16} {
		for _, off := range []int{0, 1, 8} {
			for _, n := range []int{0, size, size*5 + size/2} {
				src := backing[off : off+n]
				want := reversed(src, size)
				got := append([]byte(nil), src...)
				Swap(got, size)
				if !bytes.Equal(got, want) {
					t.Errorf("Swap size %d offset %d len %d: %v, want %v", size, off, n, got, want)
				}
				Swap(got, size)
				if !bytes.Equal(got, src) {
					t.Errorf("Swap twice size %d offset %d len %d does not restore", size, off, n)
				}
				dst := make([]byte, n+off)[off:]
				Copy(dst, src, size)
				whole := n / size * size
				if size <= 1 {
					whole = n
				}
				if !bytes.Equal(dst[:whole], want[:whole]) {
					t.Errorf("Copy size %d offset %d len %d: %v, want %v", size, off, n, dst[:whole], want[:whole])
				}
			}
		}
	}
}

// BenchmarkSwap measures swapping 1 MiB of 2-, 4- and 8-byte elements.
func BenchmarkSwap(b *testing.B) {
	buf := make([]byte, 1<<20)
	for _, size := range []int{2, 4, 8} {
		b.Run(string(rune('0'+size))+"-byte", func(b *testing.B) {
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			for b.Loop() {
				Swap(buf, size)
			}
		})
	}
}
