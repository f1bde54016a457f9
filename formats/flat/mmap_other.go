//go:build !unix

package npy

import "os"

func mapFile(*os.File, int64) []byte { return nil }

func unmap([]byte) {}

// release does nothing where files are not mapped.
func release(m []byte, from, to int64) {}
