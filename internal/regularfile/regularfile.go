package regularfile

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
)

// NotRegularError reports that a path names something other than a regular
// file (or, where directories are allowed, a directory).
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

// Error names the path and the kind of file it is.
func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file", e.Path, Kind(e.Mode))
}

// Kind describes a file mode's type in words: "a FIFO", "a character
// device", "a directory", ...
func Kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO (named pipe)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}

// Check reports a [*NotRegularError] when path (after following symbolic
// links) exists and is neither a regular file nor, with dirOK, a
// directory. A path that does not exist passes: opening it reports that.
func Check(path string, dirOK bool) error {
	st, err := os.Stat(path)
	if err != nil {
		return nil
	}
	if st.Mode().IsRegular() || dirOK && st.IsDir() {
		return nil
	}
	return &NotRegularError{Path: path, Mode: st.Mode()}
}

// Open opens path for reading and returns it with its FileInfo, or a
// [*NotRegularError] when it is not a regular file. The open itself never
// blocks on a FIFO (where the platform allows, see openFlags), and the type
// is checked on the opened file, so a path swapped after a check cannot
// slip through.
func Open(path string) (*os.File, fs.FileInfo, error) {
	if err := Check(path, false); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, &NotRegularError{Path: path, Mode: st.Mode()}
	}
	return f, st, nil
}

// PieceSize is how many bytes [ReadAll] reads between context checks.
const PieceSize = 4 << 20

// TooLargeError reports a file larger than a read allowed.
type TooLargeError struct {
	Size, Max int64
}

// Error gives both sizes.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("stores %d bytes, more than the %d bytes it can hold", e.Size, e.Max)
}

// ReadAll opens path with [Open] and reads it whole. A file whose size
// exceeds max is refused with a [*TooLargeError] before anything is read or
// allocated; a file that grows past max while being read is refused too.
// The read goes in pieces of [PieceSize] with ctx checked between them.
func ReadAll(ctx context.Context, path string, max int64) ([]byte, error) {
	f, st, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st.Size() > max {
		return nil, &TooLargeError{Size: st.Size(), Max: max}
	}
	// One byte beyond the size the file had at open: a file that did not
	// grow meets its end without the buffer growing by a piece.
	buf := make([]byte, 0, min(st.Size(), max)+1)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if int64(len(buf)) >= max {
			// At the bound: one more byte means the file is too large.
			var one [1]byte
			n, err := f.Read(one[:])
			switch {
			case n > 0:
				return nil, &TooLargeError{Size: int64(len(buf)) + 1, Max: max}
			case err == io.EOF:
				return buf, nil
			case err != nil:
				return nil, err
			}
			continue
		}
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, int(min(PieceSize, max-int64(len(buf)))))
		}
		end := int(min(int64(cap(buf)), int64(len(buf))+PieceSize, max))
		n, err := f.Read(buf[len(buf):end])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
