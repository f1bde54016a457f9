package robust

import (
	"bytes"
	"chunkpipe/internal/realdata"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// minCases is the least number of cases the corpus must hold.
const minCases = 200

// caseTimeout bounds one case; the race detector slows decoding ~10x.
const caseTimeout = 30 * time.Second

// knownIssues lists cases whose failure is a bug already reported to the
// lead, by case name prefix, with what goes wrong. Such a case is logged
// instead of failing the test, and the test fails when a listed issue no
// longer reproduces, so that the entry gets removed with the fix.
var knownIssues = map[string]string{}

// realDir returns the real instrument files' directory, or "" after
// logging why they are not used (a fatal error when CI=true).
func realDir(t *testing.T) string {
	t.Helper()
	dir, err := realdata.Dir()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("real instrument files missing in CI: %v", err)
		}
		t.Logf("%v: deriving cases from generated files only", err)
		return ""
	}
	return dir
}

// corpus generates the cases once per test binary.
var corpus = struct {
	once  sync.Once
	cases []Case
	err   error
	dir   string
}{}

func cases(t *testing.T) []Case {
	t.Helper()
	corpus.once.Do(func() {
		corpus.dir, corpus.err = os.MkdirTemp("", "robust-corpus")
		if corpus.err == nil {
			corpus.cases, corpus.err = Generate(corpus.dir, Options{RealDir: realDir(t), Seed: 20250101})
		}
	})
	if corpus.err != nil {
		t.Fatal(corpus.err)
	}
	return corpus.cases
}

func TestMain(m *testing.M) {
	code := m.Run()
	if corpus.dir != "" {
		os.RemoveAll(corpus.dir)
	}
	if cli.dir != "" {
		os.RemoveAll(cli.dir)
	}
	os.Exit(code)
}

// outcome is what opening and reading one case did.
type outcome struct {
	err     error  // the first error of open or a read
	stage   string // "open" or the region that failed
	opened  bool
	alloc   uint64 // bytes allocated (TotalAlloc delta)
	panic   any
	stack   []byte
	regions int
}

// maxRegionBytes bounds one region buffer: a case that opens with a larger
// array is read at its corners only.
const maxRegionBytes = 16 << 20

// exercise opens c and reads every region of a grid of at most 4x4 chunks
// (or the four corner 64x64 blocks of an array too large for that), lists
// variables and describes the file when the reader can. It recovers a
// panic into the outcome.
func exercise(c Case) (o outcome) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	defer func() {
		if p := recover(); p != nil {
			o.panic, o.stack = p, debug.Stack()
		}
		runtime.ReadMemStats(&after)
		o.alloc = after.TotalAlloc - before.TotalAlloc
	}()
	r, err := formats.Open(c.Path, c.Opts)
	if err != nil {
		o.err, o.stage = err, "open"
		return o
	}
	defer r.Close()
	o.opened = true
	info := r.Info()
	if v, ok := r.(formats.VariableLister); ok {
		v.Variables()
	}
	if d, ok := r.(formats.Describer); ok {
		if err := d.Describe(io.Discard, formats.DescribeOptions{}); err != nil {
			o.err, o.stage = err, "describe"
			return o
		}
	}
	s := info.Shape
	if s.Rows < 0 || s.Cols < 0 {
		o.err, o.stage = fmt.Errorf("opened with negative shape %v", s), "open"
		return o
	}
	var regs []chunk.Region
	cr, cc := (s.Rows+3)/4, (s.Cols+3)/4
	if int64(cr)*int64(cc)*int64(max(info.DType.Size(), 1)) <= maxRegionBytes {
		g, err := chunk.NewGrid(s, chunk.Shape{Rows: max(cr, 1), Cols: max(cc, 1)})
		if err != nil {
			o.err, o.stage = err, "grid"
			return o
		}
		for i := 0; i < g.Len(); i++ {
			regs = append(regs, g.Region(g.Index(i)))
		}
	} else {
		h, w := min(64, s.Rows), min(64, s.Cols)
		regs = []chunk.Region{chunk.Rect(0, 0, h, w), chunk.Rect(0, s.Cols-w, h, s.Cols), chunk.Rect(s.Rows-h, 0, s.Rows, w), chunk.Rect(s.Rows-h, s.Cols-w, s.Rows, s.Cols)}
	}
	for _, rg := range regs {
		a := chunk.NewArray(info.DType, rg)
		o.regions++
		if err := r.ReadRegion(context.Background(), rg, a); err != nil {
			o.err, o.stage = err, "region "+rg.String()
			return o
		}
	}
	return o
}

// run exercises c under caseTimeout; hung is true when it did not finish.
func run(c Case) (o outcome, hung bool) {
	done := make(chan outcome, 1)
	go func() { done <- exercise(c) }()
	timer := time.NewTimer(caseTimeout)
	defer timer.Stop()
	select {
	case o = <-done:
		return o, false
	case <-timer.C:
		return outcome{}, true
	}
}

// TestCorpus opens every malformed case in process and reads the regions of
// a small grid. For every case: no panic, no hang (each case under
// caseTimeout), allocation below 64 MiB + 64x the file size, and any error
// names the file (its path or base name). MustFail cases must produce an
// error; BadAttrs cases are well-formed and must read. The corpus has at
// least minCases cases; -v prints a per-format tally.
func TestCorpus(t *testing.T) {
	cs := cases(t)
	t.Logf("%d malformed cases", len(cs))
	if len(cs) < minCases {
		t.Errorf("only %d cases, want at least %d", len(cs), minCases)
	}
	type tally struct{ cases, failed, opened, mustFail int }
	byFormat := map[string]*tally{}
	var slowest time.Duration
	var slowName string
	for _, c := range cs {
		tl := byFormat[c.Format]
		if tl == nil {
			tl = &tally{}
			byFormat[c.Format] = tl
		}
		tl.cases++
		if c.Expect == MustFail {
			tl.mustFail++
		}
		t0 := time.Now()
		o, hung := run(c)
		if d := time.Since(t0); d > slowest {
			slowest, slowName = d, c.Name
		}
		if hung {
			t.Errorf("%s (%s): HUNG for more than %v", c.Name, c.Why, caseTimeout)
			continue
		}
		if o.opened {
			tl.opened++
		}
		if o.err != nil {
			tl.failed++
		}
		var problems []string
		if o.panic != nil {
			problems = append(problems, fmt.Sprintf("panic: %v\n%s", o.panic, o.stack))
		}
		if limit := uint64(64<<20 + 64*c.Size); o.alloc > limit {
			problems = append(problems, fmt.Sprintf("allocated %s, limit %s", chunk.FormatBytes(int64(o.alloc)), chunk.FormatBytes(int64(limit))))
		}
		if o.err != nil && !strings.Contains(o.err.Error(), filepath.Base(c.File)) {
			problems = append(problems, fmt.Sprintf("%s error does not name the file: %v", o.stage, o.err))
		}
		switch c.Expect {
		case MustFail:
			if o.err == nil && o.panic == nil {
				problems = append(problems, fmt.Sprintf("no error: opened and read %d regions", o.regions))
			}
		case BadAttrs:
			if o.err != nil {
				problems = append(problems, fmt.Sprintf("well-formed file did not read: %v", o.err))
			}
		}
		report(t, c, problems)
	}
	names := make([]string, 0, len(byFormat))
	for f := range byFormat {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		tl := byFormat[f]
		t.Logf("%-8s %3d cases (%3d must fail): %3d errored, %3d opened", f, tl.cases, tl.mustFail, tl.failed, tl.opened)
	}
	t.Logf("slowest case %s: %v", slowName, slowest)
}

// report fails the test with the problems of case c, or logs them when
// they are a known, reported issue.
func report(t *testing.T, c Case, problems []string) {
	t.Helper()
	for prefix, why := range knownIssues {
		if strings.HasPrefix(c.Name, prefix) {
			if len(problems) == 0 {
				t.Errorf("%s: known issue %q no longer reproduces; remove it from knownIssues", c.Name, why)
			} else {
				t.Logf("%s: KNOWN ISSUE (%s): %s", c.Name, why, strings.Join(problems, "; "))
			}
			return
		}
	}
	for _, p := range problems {
		t.Errorf("%s [%v] (%s): %s", c.Name, c.Expect, c.Why, p)
	}
}

// cli is the chunkpipe binary, built once (without -race: the command's own
// tests cover it under the race detector).
var cli = struct {
	once sync.Once
	bin  string
	dir  string
	err  error
}{}

func buildCLI(t *testing.T) string {
	t.Helper()
	cli.once.Do(func() {
		cli.dir, cli.err = os.MkdirTemp("", "robust-bin")
		if cli.err != nil {
			return
		}
		cli.bin = filepath.Join(cli.dir, "chunkpipe")
		out, err := exec.Command("go", "build", "-o", cli.bin, "chunkpipe/cmd/chunkpipe").CombinedOutput()
		if err != nil {
			cli.err = fmt.Errorf("building chunkpipe: %v\n%s", err, out)
			return
		}
	})
	if cli.err != nil {
		t.Fatal(cli.err)
	}
	return cli.bin
}

// TestCorpusCLI runs `chunkpipe run` on a subset of the cases (every
// seventh, every BadAttrs and every Hostile case) with the calibrate kernel, alternately
// to a .npy output and as a calibrate,stats reduction. Malformed input
// exits 1 with a one-line error naming the file; a readable MayFail case
// may succeed; a non-finite or non-numeric scale_factor, add_offset or
// valid_range makes calibrate refuse the run (exit 1 or 2) with an error
// naming the attribute. Never a panic, never another exit status, and a
// failed run leaves nothing in the output directory.
func TestCorpusCLI(t *testing.T) {
	bin := buildCLI(t)
	cs := cases(t)
	outDir := t.TempDir()
	n := 0
	for i, c := range cs {
		if i%7 != 0 && c.Expect != BadAttrs && !c.Hostile {
			continue
		}
		if c.Expect == MayFail && strings.Contains(c.Name, "terabytes") {
			// A sparse Zarr or HDF5 array may legally declare terabytes of
			// fill values; the command would process all of them.
			continue
		}
		n++
		args := []string{"run", c.Path, "-k", "calibrate,stats", "--progress", "none", "--stats", "none"}
		out := filepath.Join(outDir, "o.npy")
		if i%2 == 0 {
			args = []string{"run", c.Path, "-o", out, "-k", "calibrate", "--progress", "none", "--stats", "none"}
		}
		if c.Opts.Variable != "" {
			args = append(args, "--var", c.Opts.Variable)
		}
		ctx, cancel := context.WithTimeout(context.Background(), caseTimeout)
		cmd := exec.CommandContext(ctx, bin, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		hung := ctx.Err() != nil
		cancel()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		msg := stderr.String()
		var problems []string
		if hung {
			problems = append(problems, fmt.Sprintf("HUNG: killed after %v", caseTimeout))
		}
		if strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine ") {
			problems = append(problems, "panicked: "+msg)
		}
		switch {
		case code == 0:
			if c.Expect != MayFail {
				problems = append(problems, "exit 0 on "+c.Expect.String()+" input")
			}
		case code == 1 || code == 2:
			if c.Expect == BadAttrs {
				if !strings.Contains(msg, "scale_factor") && !strings.Contains(msg, "add_offset") && !strings.Contains(msg, "valid_range") && !strings.Contains(msg, "valid range") {
					problems = append(problems, "error does not name the bad attribute: "+msg)
				}
			} else if !strings.Contains(msg, filepath.Base(c.File)) {
				problems = append(problems, "error does not name the file: "+msg)
			}
			if es, _ := os.ReadDir(outDir); len(es) != 0 {
				problems = append(problems, fmt.Sprintf("failed run left %v", es))
			}
		default:
			problems = append(problems, fmt.Sprintf("exit status %d: %s", code, msg))
		}
		os.RemoveAll(out)
		report(t, Case{Name: "cli:" + c.Name, Expect: c.Expect, Why: c.Why}, problems)
	}
	t.Logf("ran chunkpipe on %d cases", n)
	if n < 20 {
		t.Errorf("only %d CLI cases", n)
	}
}
