package hdf5

import (
	"chunkpipe/internal/realdata"
	"path/filepath"
	"testing"
)

// realDataDir returns the shared real-data directory (see realdata.Require).
func realDataDir(t testing.TB) string { return realdata.Require(t) }

// testdataDir is the repository's testdata/hdf5 directory.
func testdataDir() string { return filepath.Join("..", "..", "testdata", "hdf5") }
