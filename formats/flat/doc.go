// Package flat reads and writes regions of arrays laid out flat in a file
// (row-major or column-major, either byte order) with positioned I/O. It is
// the shared core of the npy and raw formats.
package flat
