package kernels

import (
	"fmt"
	"math"
	"time"

	"chunkpipe/chunk"
)

// Blocker is implemented by pacers that can give up a lock around a blocking
// call, the way CPython releases the GIL around time.sleep and read().
type Blocker interface {
	Block(f func())
}

// Block runs f, releasing the worker's lock meanwhile when its pacer can.
func Block(p Pacer, f func()) {
	if b, ok := p.(Blocker); ok {
		b.Block(f)
		return
	}
	f()
}

// Primes marks each pixel whose value, truncated to an integer, is prime
// (1) or not (0), by naive trial division: a deliberately CPU-bound, pure
// kernel standing for pure-Python code (the talk's primes.py), so that
// free and processes modes scale with workers and gil does not.
type Primes struct{}

var _ Kernel = Primes{}

// Name returns "primes".
func (Primes) Name() string { return "primes" }

// Halo returns 0.
func (Primes) Halo() int { return 0 }

// Factor returns 1.
func (Primes) Factor() int { return 1 }

// Boundary returns the zero Boundary (unused: no halo).
func (Primes) Boundary() chunk.Boundary { return chunk.Boundary{} }

// Apply writes 1 where int(|src|) is prime, 0 elsewhere (NaN stays NaN).
func (Primes) Apply(dst, src *chunk.Array, p Pacer) error {
	d, s, err := float32Views("primes", dst, src, 1, 0)
	if err != nil {
		return err
	}
	cols := dst.Rect.Cols()
	for r := dst.Rect.Row0; r < dst.Rect.Row1; r++ {
		in := s[src.Offset(r, dst.Rect.Col0):][:cols]
		out := d[dst.Offset(r, dst.Rect.Col0):][:cols]
		for i, v := range in {
			switch {
			case v != v:
				out[i] = v
			case isPrime(uint64(math.Abs(float64(v)))):
				out[i] = 1
			default:
				out[i] = 0
			}
		}
		p.Pace()
	}
	return nil
}

// isPrime tests n by trial division by every odd number up to its square
// root, as the talk's pure-Python version does.
func isPrime(n uint64) bool {
	if n < 2 {
		return false
	}
	if n%2 == 0 {
		return n == 2
	}
	for k := uint64(3); k*k <= n; k += 2 {
		if n%k == 0 {
			return false
		}
	}
	return true
}

// Sleep waits a fixed time per chunk and copies its input, standing for
// I/O (a read from a slow disk or the network) that releases the lock while
// it waits: every lock mode scales with workers on it.
type Sleep struct {
	D time.Duration
}

var _ Kernel = Sleep{}

// NewSleep returns a kernel that sleeps d per chunk.
func NewSleep(d time.Duration) (Sleep, error) {
	if d < 0 || d > time.Minute {
		return Sleep{}, fmt.Errorf("kernels: sleep:%v: want 0 to 60000 ms", d)
	}
	return Sleep{D: d}, nil
}

// Name returns "sleep:MS".
func (k Sleep) Name() string { return fmt.Sprintf("sleep:%d", k.D.Milliseconds()) }

// Halo returns 0.
func (Sleep) Halo() int { return 0 }

// Factor returns 1.
func (Sleep) Factor() int { return 1 }

// Boundary returns the zero Boundary (unused: no halo).
func (Sleep) Boundary() chunk.Boundary { return chunk.Boundary{} }

// Apply sleeps with the lock released, then copies src into dst.
func (k Sleep) Apply(dst, src *chunk.Array, p Pacer) error {
	Block(p, func() { time.Sleep(k.D) })
	return Noop{}.Apply(dst, src, NoPace)
}
