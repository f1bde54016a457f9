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
