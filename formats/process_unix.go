//go:build unix

package formats

import (
	"errors"
	"syscall"
)

// processRuns reports whether a process with this id exists. A process of
// another user counts as running (kill answers EPERM); only ESRCH says that
// none exists.
func processRuns(pid int) bool {
	err := syscall.Kill(pid, 0)
	return !errors.Is(err, syscall.ESRCH)
}
