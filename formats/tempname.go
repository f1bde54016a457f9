package formats

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// tempMarker is part of the name of every temporary output chunkpipe
// writes: ".NAME" + tempMarker + "PID.HOST-RANDOM" beside the target NAME.
const tempMarker = ".chunkpipe-tmp-"

// thisHost tags the temporaries this machine writes: 8 hex digits of a
// hash of its host name. A directory may be shared (NFS) by machines
// whose process ids mean nothing to each other, so only this machine's
// temporaries are ever judged stale here.
var thisHost = hostTag()

// hostTag hashes the host name (FNV-1a, 32 bits); "0" when it is unknown.
func hostTag() string {
	name, err := os.Hostname()
	if err != nil || name == "" {
		return "0"
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return fmt.Sprintf("%08x", h.Sum32())
}

// StaleTempLog receives one line for each stale temporary output removed
// by [CreateAtomic] and [CreateAtomicDir] (standard error by default; nil
// silences it). Set it before starting writers.
var StaleTempLog io.Writer = os.Stderr

// tempPath returns a fresh temporary name for target's output in dir:
// ".NAME.chunkpipe-tmp-PID.HOST-RANDOM", so that a temporary left by a
// killed run can be told apart and, on its own machine, its process
// checked.
func tempPath(dir, base string) string {
	return filepath.Join(dir, fmt.Sprintf(".%s%s%d.%s-%08x", base, tempMarker, os.Getpid(), thisHost, rand.Uint32()))
}

// createUnique makes a new temporary for base in dir, named by tempPath
// plus suffix, with mk (which must fail with fs.ErrExist when the name is
// taken), and returns its path.
func createUnique(dir, base, suffix string, mk func(path string) error) (string, error) {
	for try := 0; ; try++ {
		p := tempPath(dir, base) + suffix
		err := mk(p)
		if err == nil || !errors.Is(err, fs.ErrExist) || try == 100 {
			return p, err
		}
	}
}

// createFileMode returns an mk for createUnique that creates a file of the
// given mode (less the umask) and keeps it in *f.
func createFileMode(f **os.File, mode os.FileMode) func(string) error {
	return func(p string) (err error) {
		*f, err = os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_EXCL, mode)
		return err
	}
}

// mkdir0777 creates one directory with mode 0777 less the umask.
func mkdir0777(p string) error { return os.Mkdir(p, 0o777) }

// createTempFile creates a new temporary file for base in dir with mode
// 0666 less the umask, as other tools create their outputs.
func createTempFile(dir, base string) (*os.File, error) {
	var f *os.File
	_, err := createUnique(dir, base, "", createFileMode(&f, 0o666))
	return f, err
}

// createTempDir creates a new temporary directory for base in dir with
// mode 0777 less the umask.
func createTempDir(dir, base string) (string, error) {
	return createUnique(dir, base, "", mkdir0777)
}

// splitTarget returns target's directory ("." for none) and file name.
func splitTarget(target string) (dir, base string) {
	dir, base = filepath.Split(filepath.Clean(target))
	if dir == "" {
		dir = "."
	}
	return dir, base
}

// CreateScratch creates a scratch file beside target for a writer's own
// use (a COG's staged tiles): ".NAME.chunkpipe-tmp-PID-RANDOM.PURPOSE",
// so that one left by a killed run is removed like any stale temporary.
// The caller removes it when done.
func CreateScratch(target, purpose string) (*os.File, error) {
	dir, base := splitTarget(target)
	var f *os.File
	_, err := createUnique(dir, base, "."+purpose, createFileMode(&f, 0o600))
	return f, err
}

// CreateScratchDir creates a scratch directory beside target, named as
// [CreateScratch] names files (a cluster's staged chunks and tiles), so
// that one left by a killed run is removed like any stale temporary. The
// caller removes it when done.
func CreateScratchDir(target, purpose string) (string, error) {
	dir, base := splitTarget(target)
	return createUnique(dir, base, "."+purpose, mkdir0777)
}

// tempOwner returns the process id and host tag in a temporary output's
// name (for base NAME: ".NAME.chunkpipe-tmp-PID.HOST-RANDOM", with any
// suffix after RANDOM), or false when name is not one. Names from before
// host tags (".NAME.chunkpipe-tmp-PID-RANDOM") have host "".
func tempOwner(name, base string) (pid int, host string, ok bool) {
	rest, ok := strings.CutPrefix(name, "."+base+tempMarker)
	if !ok {
		return 0, "", false
	}
	owner, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, "", false
	}
	p, host, _ := strings.Cut(owner, ".")
	n, err := strconv.Atoi(p)
	if err != nil || n <= 0 {
		return 0, "", false
	}
	return n, host, true
}

// RemoveStaleTemps removes the temporary outputs beside target that a
// chunkpipe process of this machine left when it was killed (SIGKILL, a
// crash, power loss): those named for target, tagged with this machine's
// host (or with none, as before host tags), whose process id no longer
// runs. Each removal is reported to [StaleTempLog]; the removed paths are
// returned. Temporaries of running processes, of other machines sharing
// the directory, and all of them where this platform cannot tell whether
// a process runs, are left alone.
func RemoveStaleTemps(target string) []string {
	dir, base := splitTarget(target)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		pid, host, ok := tempOwner(e.Name(), base)
		if !ok || host != "" && host != thisHost || pid == os.Getpid() || processRuns(pid) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if err := os.RemoveAll(p); err != nil {
			continue
		}
		removed = append(removed, p)
		if StaleTempLog != nil {
			fmt.Fprintf(StaleTempLog, "chunkpipe: removed %s, a temporary output left by process %d, which is no longer running\n", p, pid)
		}
	}
	return removed
}
