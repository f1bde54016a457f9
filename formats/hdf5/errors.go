package hdf5

import (
	"errors"
	"fmt"
)

// ErrCorrupt is wrapped by errors reporting a structure that violates the
// HDF5 file format (bad signature, bad checksum, out-of-range address, ...).
var ErrCorrupt = errors.New("corrupt or truncated file")

// ErrUnsupported is wrapped by errors reporting a valid HDF5 feature this
// reader does not implement (for example an unsupported filter).
var ErrUnsupported = errors.New("unsupported feature")

// Error is the error type returned by this package. Its message has the
// form "hdf5: FILE: OBJECT: detail", where OBJECT names the group, variable
// or structure involved (it is omitted when unknown).
type Error struct {
	File   string // file name or path given to Open/OpenReaderAt
	Object string // e.g. "variable /Rad", "group /NS", "" when not known
	Err    error  // underlying error; may wrap ErrCorrupt or ErrUnsupported
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Object == "" {
		return fmt.Sprintf("hdf5: %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("hdf5: %s: %s: %v", e.File, e.Object, e.Err)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// corruptf returns an error wrapping ErrCorrupt with a formatted detail.
func corruptf(format string, args ...any) error {
	return &detailError{msg: fmt.Sprintf(format, args...), kind: ErrCorrupt}
}

// unsupportedf returns an error wrapping ErrUnsupported with a formatted detail.
func unsupportedf(format string, args ...any) error {
	return &detailError{msg: fmt.Sprintf(format, args...), kind: ErrUnsupported}
}

// detailError carries a message and a sentinel kind without repeating the
// sentinel's text in the message.
type detailError struct {
	msg  string
	kind error
}

func (e *detailError) Error() string { return e.msg }
func (e *detailError) Unwrap() error { return e.kind }

// wrapf prefixes err with context, keeping it unwrappable.
func wrapf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), err)
}

// objError attaches file and object names to err, unless it already is an *Error.
func (f *File) objError(object string, err error) error {
	if err == nil {
		return nil
	}
	var he *Error
	if errors.As(err, &he) {
		return err
	}
	return &Error{File: f.name, Object: object, Err: err}
}
