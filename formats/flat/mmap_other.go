//go:build !unix

package flat

import "os"

// MapFile returns nil where files are not mapped: readers use ReadAt.
func MapFile(*os.File, int64) []byte { return nil }

// Unmap does nothing where files are not mapped.
func Unmap([]byte) {}

// ReleaseRange does nothing where files are not mapped.
func ReleaseRange(m []byte, from, to int64) {}
