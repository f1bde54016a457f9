//go:build !unix

package regularfile

// openFlags adds nothing where O_NONBLOCK does not exist; Check's stat
// before the open still refuses FIFOs.
const openFlags = 0
