package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/term"

	"chunkpipe/formats"
	"chunkpipe/lab"
)

// benchCmd is `chunkpipe bench`: a sweep over workers, lock modes and chunk
// specs, each run in a fresh process so that its peak RSS is its own.
type benchCmd struct {
	Input          string        `arg:"" optional:"" help:"Input file (default: a synthetic granule of --size, written to a temporary directory)."`
	Kernels        string        `short:"k" help:"Kernel chain." default:"calibrate,bt"`
	Workers        string        `help:"Worker counts, comma-separated." default:"1,2,4"`
	Lock           string        `help:"Lock modes, comma-separated (free, gil, processes)." default:"free,gil,processes"`
	Chunks         string        `help:"Chunk specs, comma-separated." default:"256,512,1024,auto"`
	Repeat         int           `help:"Runs per configuration (interleaved)." default:"5"`
	Size           int           `help:"Edge of the synthetic granule when no input is given." default:"4096"`
	Preset         string        `help:"Kernel parameter preset passed to each run (anchors: the synthetic granule's constants; the default when bench synthesizes the input)." placeholder:"NAME"`
	Var            string        `help:"Variable to read."`
	SwitchInterval time.Duration `help:"gil switch interval." default:"5ms"`
	GILModel       string        `name:"gil-model" help:"gil model: python or numpy." enum:"python,numpy" default:"python"`
	CSV            string        `help:"Write one row per configuration as CSV here."`
	JSON           string        `help:"Write the rows and every sample as JSON here."`
	Markdown       bool          `help:"Print the table as markdown."`
	Plot           string        `help:"Write charts (PNG and SVG) into this directory."`
	Recommend      bool          `help:"End with the fastest chunk spec for this input, chain and machine, and its gain over auto."`
}

// Run executes the command.
func (c *benchCmd) Run(g *globals) error {
	axes, err := lab.ParseAxes(c.Workers, c.Lock, c.Chunks, c.Repeat)
	if err != nil {
		return usage(err)
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "chunkpipe-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	input := c.Input
	preset := c.Preset
	if input == "" && preset == "" {
		preset = "anchors" // the synthesized .npy keeps no attributes
	}
	if input == "" {
		input = filepath.Join(tmp, "granule.npy")
		shape := strconv.Itoa(c.Size) + "x" + strconv.Itoa(c.Size)
		fmt.Fprintf(os.Stderr, "bench: synthesizing a %s granule in %s\n", shape, tmp)
		if out, err := exec.CommandContext(g.ctx, exe, "synth", "-o", input, "--shape", shape, "--progress", "none").CombinedOutput(); err != nil {
			return fmt.Errorf("bench: synth: %v: %s", err, out)
		}
	}
	in := inputFlags{Var: c.Var, ctx: g.ctx}
	r, err := in.open(input)
	if err != nil {
		return err
	}
	info := r.Info()
	r.Close()
	fmt.Fprintf(os.Stderr, "bench: %s (%v %v), chain %s, %d configurations x %d runs\n",
		input, info.Shape, info.DType, c.Kernels, len(axes.Points()), max(axes.Repeat, 1))
	out := filepath.Join(tmp, "out.npy")
	run := func(ctx context.Context, p lab.Point) (lab.Sample, error) {
		args := []string{"run", input, "-k", c.Kernels, "--chunks", p.Chunks, "--workers", strconv.Itoa(p.Workers),
			"--lock", p.Lock, "--switch-interval", c.SwitchInterval.String(), "--gil-model", c.GILModel,
			"--progress", "none", "--stats", "json", "--overwrite"}
		if preset != "" {
			args = append(args, "--preset", preset)
		}
		if c.Var != "" {
			args = append(args, "--var", c.Var)
		}
		if !reduces(c.Kernels) {
			args = append(args, "-o", out)
		}
		return runChild(ctx, exe, args)
	}
	tty := term.IsTerminal(int(os.Stderr.Fd()))
	samples, err := lab.Sweep(g.ctx, axes, run, func(done, total int) {
		switch {
		case tty:
			fmt.Fprintf(os.Stderr, "\rbench: %d/%d runs", done, total)
		case done == total || done%max(total/10, 1) == 0:
			fmt.Fprintf(os.Stderr, "bench: %d/%d runs\n", done, total)
		}
	})
	if tty {
		fmt.Fprintln(os.Stderr)
	}
	if err != nil {
		return err
	}
	rows := lab.Summarize(samples)
	if c.Markdown {
		err = lab.WriteMarkdown(os.Stdout, rows)
	} else {
		err = lab.WriteTable(os.Stdout, rows)
	}
	if err != nil {
		return err
	}
	if c.CSV != "" {
		if err := writeAtomic(c.CSV, true, func(f *os.File) error { return lab.WriteCSV(f, rows) }); err != nil {
			return err
		}
	}
	if c.JSON != "" {
		if err := writeAtomic(c.JSON, true, func(f *os.File) error { return lab.WriteJSON(f, rows, samples) }); err != nil {
			return err
		}
	}
	if c.Plot != "" {
		files, err := lab.Plot(c.Plot, rows)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "bench: wrote %d charts in %s\n", len(files), c.Plot)
	}
	if c.Recommend {
		fmt.Println()
		fmt.Println(lab.RecommendText(rows, "auto"))
	}
	return nil
}

// reduces reports whether a chain ends in a reduction (no output file).
func reduces(chain string) bool {
	for _, r := range []string{"stats", "histogram"} {
		if len(chain) >= len(r) && (chain == r || bytes.Contains([]byte(","+chain), []byte(","+r))) {
			return true
		}
	}
	return false
}

// runChild runs one `chunkpipe run` and reads its JSON report and rusage.
func runChild(ctx context.Context, exe string, args []string) (lab.Sample, error) {
	cmd := exec.CommandContext(ctx, exe, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var s lab.Sample
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && cmd.ProcessState != nil {
		s.PeakRSS = ru.Maxrss * 1024
	}
	if err != nil {
		msg := bytes.TrimSpace(stderr.Bytes())
		if i := bytes.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		return s, errors.New(string(msg))
	}
	var rep struct {
		Wall        int64 `json:"wall_ns"`
		InBytes     int64 `json:"in_bytes"`
		LockWait    int64 `json:"lock_wait_ns"`
		BytesCopied int64 `json:"bytes_copied"`
		PeakRSS     int64 `json:"peak_rss_bytes"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		return s, fmt.Errorf("bench: reading the run's report: %v", err)
	}
	s.Wall = time.Duration(rep.Wall)
	s.LockWait = time.Duration(rep.LockWait)
	s.BytesCopied = rep.BytesCopied
	if rep.PeakRSS > 0 {
		s.PeakRSS = rep.PeakRSS // the run's own high-water mark
	}
	if rep.Wall > 0 {
		s.MBps = float64(rep.InBytes) / 1e6 / s.Wall.Seconds()
	}
	return s, nil
}

// writeAtomic writes a file through a temporary beside it.
func writeAtomic(path string, overwrite bool, write func(*os.File) error) error {
	af, err := formats.CreateAtomic(path, overwrite)
	if err != nil {
		return err
	}
	if err := write(af.File); err != nil {
		af.Abort()
		return err
	}
	return af.Commit()
}
