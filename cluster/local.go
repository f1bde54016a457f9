package cluster

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// WorkerEnv, set in a process's environment, holds the URL of the server a
// program (or a test binary, from TestMain) should serve as a cluster
// worker, as pipeline.WorkerEnv does for processes mode.
const WorkerEnv = "CHUNKPIPE_CLUSTER_WORKER"

// LocalConfig configures [StartLocal].
type LocalConfig struct {
	// Processes is how many worker processes to start.
	Processes int
	// Command returns the argv of a worker process serving url; nil runs
	// this executable as `worker --connect URL`.
	Command func(url string) []string
	// Env is added to the worker processes' environment.
	Env []string
	// Stderr receives the worker processes' standard error; nil:
	// os.Stderr.
	Stderr io.Writer
}

// Local is an embedded cluster on this machine: a JetStream server on
// 127.0.0.1 with its store in a temporary directory, and worker processes.
type Local struct {
	Server *Server
	store  string
	procs  []*exec.Cmd
}

// StartLocal starts an embedded server (random port, store in a new
// temporary directory) and cfg.Processes worker processes connected to it.
func StartLocal(cfg LocalConfig) (*Local, error) {
	if cfg.Processes < 1 {
		return nil, fmt.Errorf("cluster: embedded:N needs N >= 1 worker processes, not %d", cfg.Processes)
	}
	store, err := os.MkdirTemp("", "chunkpipe-jetstream-*")
	if err != nil {
		return nil, fmt.Errorf("cluster: store for the embedded server: %w", err)
	}
	srv, err := StartServer(store, 0)
	if err != nil {
		os.RemoveAll(store)
		return nil, err
	}
	l := &Local{Server: srv, store: store}
	if cfg.Command == nil {
		exe, err := os.Executable()
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("cluster: cannot find this executable to start workers: %w", err)
		}
		cfg.Command = func(url string) []string { return []string{exe, "worker", "--connect", url} }
	}
	if cfg.Stderr == nil {
		cfg.Stderr = os.Stderr
	}
	for range cfg.Processes {
		argv := cfg.Command(srv.URL())
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = append(append(os.Environ(), WorkerEnv+"="+srv.URL()), cfg.Env...)
		cmd.Stdout, cmd.Stderr = cfg.Stderr, cfg.Stderr
		if err := cmd.Start(); err != nil {
			l.Close()
			return nil, fmt.Errorf("cluster: start worker process: %w", err)
		}
		l.procs = append(l.procs, cmd)
	}
	return l, nil
}

// URL is the embedded server's address.
func (l *Local) URL() string { return l.Server.URL() }

// Processes returns the worker processes (tests signal them).
func (l *Local) Processes() []*os.Process {
	var ps []*os.Process
	for _, c := range l.procs {
		ps = append(ps, c.Process)
	}
	return ps
}

// Close stops the workers (SIGTERM, then SIGKILL after 5 s), the server,
// and removes the server's store.
func (l *Local) Close() error {
	for _, c := range l.procs {
		c.Process.Signal(syscall.SIGCONT) // a stopped process cannot act on SIGTERM
		c.Process.Signal(syscall.SIGTERM)
	}
	for _, c := range l.procs {
		done := make(chan struct{})
		go func() { c.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			c.Process.Kill()
			<-done
		}
	}
	l.procs = nil
	if l.Server != nil {
		l.Server.Shutdown()
	}
	return os.RemoveAll(l.store)
}
