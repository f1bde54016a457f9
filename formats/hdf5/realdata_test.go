package hdf5

import (
	"os"
	"path/filepath"
	"testing"
)

// realDataDir returns the directory of the shared real test files, or skips
// (fails when CI=true) when it is missing.
func realDataDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("CHUNKPIPE_REAL_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "testdata", "real")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		msg := "real test data not found at " + dir + " (set CHUNKPIPE_REAL_DATA to the directory holding abi/, netcdf/ and hdf5/)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return dir
}

// testdataDir is the repository's testdata/hdf5 directory.
func testdataDir() string { return filepath.Join("..", "..", "testdata", "hdf5") }
