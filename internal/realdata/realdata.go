// Package realdata locates the real instrument files that chunkpipe's
// tests read (GOES ABI NetCDF4, GeoTIFF, HDF5; see SOURCES.md there): the
// directory named by $CHUNKPIPE_REAL_DATA, or shared/testdata/real beside
// the repository. The files are never copied into the repository.
package realdata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// EnvVar names the environment variable that overrides the location.
const EnvVar = "CHUNKPIPE_REAL_DATA"

// Dir returns the real-data directory, or an error saying where it was
// looked for.
func Dir() (string, error) {
	dir := os.Getenv(EnvVar)
	if dir == "" {
		root, err := repoRoot()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(root, "..", "shared", "testdata", "real")
	}
	if st, err := os.Stat(filepath.Join(dir, "abi")); err != nil || !st.IsDir() {
		return "", fmt.Errorf("real test data not found at %s (set %s to the directory holding abi/, geotiff/, hdf5/ and netcdf/)", dir, EnvVar)
	}
	return dir, nil
}

// Require returns the real-data directory. Without it the test fails when
// CI=true (CI must have the data) and is skipped with the reason elsewhere.
func Require(t testing.TB) string {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return dir
}

// repoRoot walks up from the working directory (a package directory, when
// tests run) to the directory holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("realdata: go.mod not found above the working directory")
		}
		dir = parent
	}
}
