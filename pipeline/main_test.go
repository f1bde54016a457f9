package pipeline

import (
	"fmt"
	"os"
	"testing"
)

// TestMain lets the test binary act as a processes-mode worker: the
// processes tests start os.Args[0] with WorkerEnv set.
func TestMain(m *testing.M) {
	if os.Getenv(WorkerEnv) == "1" {
		if err := ServeWorker(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
