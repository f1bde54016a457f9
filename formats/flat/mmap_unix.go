//go:build unix

package npy

import (
	"os"
	"syscall"
)

// mapFile maps the file read-only; nil when it cannot (then reads use ReadAt).
func mapFile(f *os.File, size int64) []byte {
	if size <= 0 || int64(int(size)) != size {
		return nil
	}
	m, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil
	}
	return m
}

func unmap(m []byte) { syscall.Munmap(m) }

// release drops the mapped pages wholly inside [from, to) from this
// process (they stay in the page cache); a failure is harmless.
func release(m []byte, from, to int64) {
	page := int64(os.Getpagesize())
	from = (from + page - 1) / page * page
	to = to / page * page
	if from >= to || to > int64(len(m)) {
		return
	}
	syscall.Madvise(m[from:to], syscall.MADV_DONTNEED)
}
