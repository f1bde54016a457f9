// Command chunkpipe processes large image-like satellite arrays in chunks:
// it reads a granule region by region, runs a chain of kernels over the
// chunks with a pool of workers under a chosen lock mode (free threads, or
// a GIL-like serializing lock), and streams the result to an output file.
//
// Run "chunkpipe --help" for the subcommands, and see README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/alecthomas/kong"

	"chunkpipe/formats"
	_ "chunkpipe/formats/all"
	"chunkpipe/pipeline"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// cli is the command line: one field per subcommand.
type cli struct {
	Run           runCmd           `cmd:"" help:"Run a kernel chain over a file, chunk by chunk, and write the result."`
	Info          infoCmd          `cmd:"" help:"Describe a file: shape, dtype, attributes, storage chunking and the chunk grid auto would choose."`
	Index         indexCmd         `cmd:"" help:"Write a kerchunk reference index of a NetCDF-4/HDF5 file or tiled GeoTIFF; run FILE.json reads through it."`
	Kernels       kernelsCmd       `cmd:"" help:"List the kernels with their parameters, halo and output."`
	Synth         synthCmd         `cmd:"" help:"Write the synthetic ABI-like granule of the reference workloads."`
	Bench         benchCmd         `cmd:"" help:"Sweep workers, lock modes and chunk specs on an input and chain; tables, CSV/JSON, charts and a chunk recommendation."`
	Demo          demoCmd          `cmd:"" help:"Run the main job on an embedded synthetic granule and compare lock modes (no files needed)."`
	ProcessWorker processWorkerCmd `cmd:"" name:"__worker" hidden:"" help:"Serve as a processes-mode worker (internal)."`
	ClusterWorker clusterWorkerCmd `cmd:"" name:"worker" help:"Serve a cluster's tasks (see run --cluster): chunkpipe worker --connect nats://host:4222."`
}

// processWorkerCmd is the hidden subcommand a processes-mode run starts
// its worker processes with (not to be confused with clusterWorkerCmd,
// `chunkpipe worker`, which serves a cluster's tasks).
type processWorkerCmd struct{}

// Run serves chunks on standard input and output until the input ends.
func (processWorkerCmd) Run(*globals) error { return pipeline.ServeWorker(os.Stdin, os.Stdout) }

func main() {
	if os.Getenv(pipeline.WorkerEnv) == "1" {
		if err := pipeline.ServeWorker(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "chunkpipe worker:", err)
			os.Exit(exitFailure)
		}
		os.Exit(exitOK)
	}
	os.Exit(run(os.Args[1:]))
}

// run parses args, runs the subcommand and maps its error to an exit status.
func run(args []string) int {
	var c cli
	exitCode := -1
	parser, err := kong.New(&c,
		kong.Name("chunkpipe"),
		kong.Description("Chunked processing of satellite granules, with free-threaded and GIL-like lock modes."),
		kong.UsageOnError(),
		kong.Exit(func(code int) { exitCode = code }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
		kong.ExplicitGroups([]kong.Group{
			{Key: "input", Title: "Input:"},
			{Key: "kernels", Title: "Kernels and band math:"},
			{Key: "engine", Title: "Engine:"},
			{Key: "output", Title: "Output:"},
			{Key: "diagnostics", Title: "Diagnostics:"},
		}),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chunkpipe:", err)
		return exitFailure
	}
	kctx, err := parser.Parse(joinNegativeValues(parser.Model, args))
	if exitCode >= 0 {
		return exitCode // --help
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "chunkpipe:", err)
		return exitUsage
	}
	// The handler stays installed until the process exits: a signal that
	// arrives after the output was committed must not kill the process by
	// the default action and report an interrupted run.
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = kctx.Run(&globals{ctx: ctx})
	return report(ctx, err)
}

// globals is what every subcommand's Run receives.
type globals struct {
	ctx context.Context
}

// usageError marks an error in what the user typed (exit status 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usage(err error) error {
	if err == nil {
		return nil
	}
	return usageError{err}
}

// report prints err and returns the exit status for it.
func report(ctx context.Context, err error) int {
	switch {
	case err == nil:
		return exitOK
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		fmt.Fprintln(os.Stderr, "chunkpipe: interrupted; no output written")
		return exitInterrupted
	}
	fmt.Fprintln(os.Stderr, "chunkpipe:", err)
	var u usageError
	if errors.As(err, &u) && !errors.Is(err, formats.ErrBadFile) {
		return exitUsage // a bad input file is a failure even where flags led to it
	}
	return exitFailure
}
