package hdf5

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// unshuffleRef is the shuffle filter's inverse written out byte by byte.
func unshuffleRef(src []byte, es int) []byte {
	n := len(src) / es
	dst := make([]byte, len(src))
	for j := 0; j < es; j++ {
		for i := 0; i < n; i++ {
			dst[i*es+j] = src[j*n+i]
		}
	}
	copy(dst[n*es:], src[n*es:])
	return dst
}

// unshuffle matches the byte-by-byte inverse for every element size the
// files use, lengths around its 8-element steps, and trailing bytes.
func TestUnshuffle(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, es := range []int{1, 2, 3, 4, 8} {
		for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000} {
			for _, tail := range []int{0, 1} {
				src := make([]byte, n*es+tail)
				for i := range src {
					src[i] = byte(rng.Uint32())
				}
				got := make([]byte, len(src))
				unshuffle(src, got, es)
				if want := unshuffleRef(src, es); !bytes.Equal(got, want) {
					t.Fatalf("es %d, %d elements, %d trailing: got %x, want %x", es, n, tail, got, want)
				}
			}
		}
	}
}

func BenchmarkUnshuffle(b *testing.B) {
	for _, es := range []int{2, 4} {
		src := make([]byte, 250*250*es)
		for i := range src {
			src[i] = byte(i * 7)
		}
		dst := make([]byte, len(src))
		b.Run(map[int]string{2: "int16", 4: "float32"}[es], func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				unshuffle(src, dst, es)
			}
		})
	}
}

// interleave of any run of elements equals that run of the unshuffled
// data (how a chunk is unshuffled straight into a region's rows).
func TestInterleaveRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, es := range []int{2, 3, 4, 8} {
		n := 250
		src := make([]byte, n*es)
		for i := range src {
			src[i] = byte(rng.Uint32())
		}
		want := unshuffleRef(src, es)
		for range 200 {
			i0 := rng.IntN(n)
			cnt := rng.IntN(n - i0 + 1)
			got := make([]byte, cnt*es)
			interleave(got, src, n, i0, es)
			if !bytes.Equal(got, want[i0*es:(i0+cnt)*es]) {
				t.Fatalf("es %d, elements [%d, %d): wrong bytes", es, i0, i0+cnt)
			}
		}
	}
}
