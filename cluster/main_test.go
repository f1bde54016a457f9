package cluster

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"testing"
	"time"

	"chunkpipe/pipeline"
)

// Environment knobs of the test binary when it serves as a worker process.
const (
	envChunkDelay = "CHUNKPIPE_CLUSTER_TEST_CHUNK_DELAY"
	envNakDelay   = "CHUNKPIPE_CLUSTER_TEST_NAK_DELAY"
	envWorkers    = "CHUNKPIPE_CLUSTER_TEST_WORKERS"
	envDieOnChunk = "CHUNKPIPE_CLUSTER_TEST_DIE_ON_CHUNK"
)

// TestMain makes the test binary a cluster worker when WorkerEnv is set,
// as `chunkpipe worker` is: the tests start it with StartLocal.
func TestMain(m *testing.M) {
	if url := os.Getenv(WorkerEnv); url != "" {
		ctx, _ := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
		cfg := WorkerConfig{URL: url, Lock: pipeline.Free, Workers: 2}
		cfg.ChunkDelay, _ = time.ParseDuration(os.Getenv(envChunkDelay))
		cfg.NakDelay, _ = time.ParseDuration(os.Getenv(envNakDelay))
		if n, err := strconv.Atoi(os.Getenv(envWorkers)); err == nil {
			cfg.Workers = n
		}
		if n, err := strconv.Atoi(os.Getenv(envDieOnChunk)); err == nil {
			cfg.beforeChunk = func(c int) {
				if c == n {
					os.Exit(3) // as a crash would: no result, no ack
				}
			}
		}
		if err := Serve(ctx, cfg); err != nil {
			fmt.Fprintln(os.Stderr, "cluster test worker:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// startLocal starts an embedded cluster of n test-binary workers with the
// given extra environment, closed when the test ends.
func startLocal(t testing.TB, n int, env ...string) *Local {
	t.Helper()
	l, err := StartLocal(LocalConfig{Processes: n, Command: func(string) []string { return []string{os.Args[0]} }, Env: env})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}
