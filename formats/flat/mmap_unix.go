//go:build unix

package flat

import (
	"os"
	"syscall"
)

// MapFile maps size bytes of f read-only and shared; nil when it cannot
// (then readers fall back to ReadAt).
func MapFile(f *os.File, size int64) []byte {
	if size <= 0 || int64(int(size)) != size {
		return nil
	}
	m, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil
	}
	return m
}

// Unmap unmaps a mapping made by MapFile.
func Unmap(m []byte) { syscall.Munmap(m) }

// ReleaseRange drops the mapped pages wholly inside bytes [from, to) of m
// from this process: they stay in the page cache, and reading them again
// maps them again. A failure is harmless.
func ReleaseRange(m []byte, from, to int64) {
	page := int64(os.Getpagesize())
	from = (from + page - 1) / page * page
	to = to / page * page
	if from >= to || to > int64(len(m)) {
		return
	}
	syscall.Madvise(m[from:to], syscall.MADV_DONTNEED)
}
