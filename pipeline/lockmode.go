package pipeline

import (
	"fmt"
	"strings"
)

// LockMode says how kernel workers share the processor.
type LockMode int

const (
	// Free runs kernel workers truly in parallel (free threading).
	Free LockMode = iota
	// GIL serializes kernel compute behind one process-wide lock, held
	// while a kernel computes and released while reading, decoding and
	// writing, as CPython's global interpreter lock is.
	GIL
	// Processes runs each kernel worker in a separate worker process (the
	// same binary, re-executed), as Python's ProcessPoolExecutor does:
	// parallel, at the price of copying every chunk there and back.
	Processes
)

var lockNames = []string{"free", "gil", "processes"}

// LockModes lists every lock mode, in order.
func LockModes() []LockMode { return []LockMode{Free, GIL, Processes} }

// GILModel says what runs under the gil lock mode's lock.
type GILModel int

const (
	// PythonModel holds the lock while kernels compute, as pure-Python
	// code does.
	PythonModel GILModel = iota
	// NumpyModel releases the lock while kernels compute, as numpy's C
	// loops do; only a per-chunk glue step (scheduling, task dispatch,
	// slicing) holds it, for Config.GlueCost per task.
	NumpyModel
)

// String returns "python" or "numpy".
func (m GILModel) String() string {
	if m == NumpyModel {
		return "numpy"
	}
	return "python"
}

// ParseGILModel parses "python" or "numpy".
func ParseGILModel(s string) (GILModel, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "python", "":
		return PythonModel, nil
	case "numpy":
		return NumpyModel, nil
	}
	return 0, fmt.Errorf("pipeline: unknown gil model %q (want python or numpy)", s)
}

// String returns the mode's name as flags, logs and benchmarks spell it.
func (m LockMode) String() string {
	if int(m) >= 0 && int(m) < len(lockNames) {
		return lockNames[m]
	}
	return fmt.Sprintf("lockmode(%d)", int(m))
}

// Set parses a mode name; it implements flag.Value.
func (m *LockMode) Set(s string) error {
	p, err := ParseLockMode(s)
	if err != nil {
		return err
	}
	*m = p
	return nil
}

// UnmarshalText parses a mode name; it implements
// encoding.TextUnmarshaler, so flag parsers and JSON decoders take the
// names directly.
func (m *LockMode) UnmarshalText(text []byte) error { return m.Set(string(text)) }

// MarshalText returns the mode's name; it implements encoding.TextMarshaler.
func (m LockMode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// ParseLockMode parses "free", "gil" or "processes".
func ParseLockMode(s string) (LockMode, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for i, n := range lockNames {
		if n == t {
			return LockMode(i), nil
		}
	}
	return 0, fmt.Errorf("pipeline: unknown lock mode %q (want %s)", s, strings.Join(lockNames, ", "))
}
