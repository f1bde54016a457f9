//go:build goexperiment.simd && amd64

package kernels

import "unsafe"

// streamCopy64 is in streamstore_amd64.s.
//
//go:noescape
func streamCopy64(dst, src unsafe.Pointer, blocks int)

// storeFence is in streamstore_amd64.s.
func storeFence()

// streamStore copies src into dst (len(dst) >= len(src)) as copy does,
// but writes the 64-byte-aligned middle of dst with non-temporal stores,
// which go to memory without first reading each destination cache line
// (an ordinary store reads the line in, so writing n bytes costs 2n bytes
// of memory traffic) and without keeping it in the caches. It pays only
// for outputs too large to stay in cache until their next use; the
// kernels call it for such outputs only (see streamStoreMinBytes).
// Non-temporal stores are weakly ordered: the caller must call storeFence
// after its last streamStore, before the output is handed on (to another
// goroutine, or read back).
func streamStore(dst, src []float32) {
	n := len(src)
	if n == 0 {
		return
	}
	dst = dst[:n]
	addr := uintptr(unsafe.Pointer(&dst[0]))
	if addr%4 != 0 {
		copy(dst, src) // not float32-aligned (a view of odd bytes)
		return
	}
	head := min(int((64-addr%64)%64/4), n)
	copy(dst[:head], src[:head])
	blocks := (n - head) / 16
	if blocks > 0 {
		streamCopy64(unsafe.Pointer(&dst[head]), unsafe.Pointer(&src[head]), blocks)
	}
	done := head + 16*blocks
	copy(dst[done:], src[done:])
}
