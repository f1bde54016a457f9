//go:build unix

package formats

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// withUmask runs f under umask mask and restores the previous one. The
// umask is process-wide, so tests using it do not run in parallel.
func withUmask(mask int, f func()) {
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	f()
}

// TestAtomicModesFollowUmask: outputs are created 0666 (directories 0777)
// less the umask, like cp or touch would, not 0600/0700.
func TestAtomicModesFollowUmask(t *testing.T) {
	for _, mask := range []int{0o022, 0o027, 0o002} {
		t.Run(fmt.Sprintf("umask %03o", mask), func(t *testing.T) {
			dir := t.TempDir()
			withUmask(mask, func() {
				f, err := CreateAtomic(filepath.Join(dir, "out.npy"), false)
				if err != nil {
					t.Fatal(err)
				}
				if err := f.Commit(); err != nil {
					t.Fatal(err)
				}
				d, err := CreateAtomicDir(filepath.Join(dir, "out.zarr"), false)
				if err != nil {
					t.Fatal(err)
				}
				if err := d.Commit(); err != nil {
					t.Fatal(err)
				}
			})
			for name, want := range map[string]fs.FileMode{"out.npy": fs.FileMode(0o666 &^ mask), "out.zarr": fs.FileMode(0o777&^mask) | fs.ModeDir} {
				st, err := os.Stat(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if st.Mode() != want {
					t.Errorf("%s: mode %v under umask %03o, want %v", name, st.Mode(), mask, want)
				}
			}
		})
	}
}

// TestAtomicDirOverwriteOnlyReplacesStores: --overwrite onto a directory
// that holds none of the format's metadata files is refused at create and
// at commit, and the directory and its files stay; a store is replaced.
func TestAtomicDirOverwriteOnlyReplacesStores(t *testing.T) {
	markers := []string{".zarray", ".zgroup", ".zattrs"}
	dir := t.TempDir()
	photos := filepath.Join(dir, "photos.zarr")
	if err := os.Mkdir(photos, 0o755); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(photos, "holiday.jpg")
	if err := os.WriteFile(keep, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CreateAtomicDir(photos, true, markers...); err == nil || !strings.Contains(err.Error(), "refusing to replace") {
		t.Fatalf("CreateAtomicDir over a plain directory: %v, want a refusal", err)
	}
	// A plain directory that appears while the store is written.
	late := filepath.Join(dir, "late.zarr")
	d, err := CreateAtomicDir(late, true, markers...)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(late, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err == nil || !strings.Contains(err.Error(), "refusing to replace") {
		t.Fatalf("Commit over a plain directory: %v, want a refusal", err)
	}
	if _, err := os.Stat(d.Path); !os.IsNotExist(err) {
		t.Errorf("refused commit left its temporary %s", d.Path)
	}
	if b, err := os.ReadFile(keep); err != nil || string(b) != "precious" {
		t.Fatalf("the plain directory's file is gone or changed: %q, %v", b, err)
	}
	// A regular file in the way is not a store either.
	file := filepath.Join(dir, "file.zarr")
	os.WriteFile(file, []byte("x"), 0o644)
	if _, err := CreateAtomicDir(file, true, markers...); err == nil {
		t.Error("CreateAtomicDir replaced a regular file")
	}
	// A store (here a group: .zgroup) is replaced.
	store := filepath.Join(dir, "store.zarr")
	os.Mkdir(store, 0o755)
	os.WriteFile(filepath.Join(store, ".zgroup"), []byte(`{"zarr_format": 2}`), 0o644)
	d, err = CreateAtomicDir(store, true, markers...)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(d.Path, ".zattrs"), []byte("{}"), 0o644)
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(store, ".zattrs")); err != nil {
		t.Errorf("store not replaced: %v", err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 4 {
		t.Errorf("directory holds %v, want only the four targets", es)
	}
}

// deadPID returns the id of a process that has exited (and been reaped).
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run true to get a dead pid: %v", err)
	}
	pid := cmd.Process.Pid
	if processRuns(pid) {
		t.Skipf("pid %d was reused at once", pid)
	}
	return pid
}

// TestStaleTempsRemoved: a temporary output named for the target, left by
// a process of this machine that no longer runs (as SIGKILL leaves it;
// names from before host tags count as this machine's), is removed by the
// next create for that target and reported; temporaries of a running
// process, of another machine sharing the directory, of other targets,
// and other files stay.
func TestStaleTempsRemoved(t *testing.T) {
	var log bytes.Buffer
	old := StaleTempLog
	StaleTempLog = &log
	defer func() { StaleTempLog = old }()

	dir := t.TempDir()
	dead := deadPID(t)
	staleFile := filepath.Join(dir, fmt.Sprintf(".out.npy%s%d-0badf00d", tempMarker, dead))
	staleDir := filepath.Join(dir, fmt.Sprintf(".out.zarr%s%d-12345678", tempMarker, dead))
	staleOld := staleDir + ".old"
	live := filepath.Join(dir, fmt.Sprintf(".out.npy%s%d-00000001", tempMarker, os.Getppid()))
	other := filepath.Join(dir, fmt.Sprintf(".other.npy%s%d-00000002", tempMarker, dead))
	plain := filepath.Join(dir, ".out.npy.notes")
	staleScratch := filepath.Join(dir, fmt.Sprintf(".out.npy%s%d-0000abcd.cog-tiles", tempMarker, dead))
	staleTagged := filepath.Join(dir, fmt.Sprintf(".out.npy%s%d.%s-0000beef", tempMarker, dead, thisHost))
	otherHost := "0000000f"
	if thisHost == otherHost {
		otherHost = "000000f0"
	}
	remote := filepath.Join(dir, fmt.Sprintf(".out.npy%s%d.%s-0000cafe", tempMarker, dead, otherHost))
	for _, p := range []string{staleFile, staleScratch, staleTagged, live, other, plain, remote} {
		if err := os.WriteFile(p, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{staleDir, staleOld} {
		os.MkdirAll(filepath.Join(p, "data"), 0o755)
		os.WriteFile(filepath.Join(p, "data", "0.0"), []byte("chunk"), 0o644)
	}

	f, err := CreateAtomic(filepath.Join(dir, "out.npy"), false)
	if err != nil {
		t.Fatal(err)
	}
	if base := filepath.Base(f.File.Name()); !strings.HasPrefix(base, fmt.Sprintf(".out.npy%s%d.%s-", tempMarker, os.Getpid(), thisHost)) {
		t.Errorf("temporary named %s, want .out.npy%sPID.HOST-RANDOM", base, tempMarker)
	}
	f.Abort()
	s, err := CreateScratch(filepath.Join(dir, "out.npy"), "cog-tiles")
	if err != nil {
		t.Fatal(err)
	}
	if base := filepath.Base(s.Name()); !strings.HasPrefix(base, fmt.Sprintf(".out.npy%s%d.%s-", tempMarker, os.Getpid(), thisHost)) || !strings.HasSuffix(base, ".cog-tiles") {
		t.Errorf("scratch file named %s", base)
	}
	s.Close()
	os.Remove(s.Name())
	d, err := CreateAtomicDir(filepath.Join(dir, "out.zarr"), false)
	if err != nil {
		t.Fatal(err)
	}
	d.Abort()

	for _, p := range []string{staleFile, staleScratch, staleTagged, staleDir, staleOld} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("stale %s not removed", filepath.Base(p))
		}
		if !strings.Contains(log.String(), p) {
			t.Errorf("removal of %s not reported: %q", filepath.Base(p), log.String())
		}
	}
	for _, p := range []string{live, other, plain, remote} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s removed: %v", filepath.Base(p), err)
		}
	}
	if !strings.Contains(log.String(), fmt.Sprintf("process %d", dead)) {
		t.Errorf("report does not name the dead process: %q", log.String())
	}
}
