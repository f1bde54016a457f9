// Package flat reads and writes regions of arrays laid out flat in a file
// (row-major or column-major, either byte order) with positioned I/O, or in
// place through a read-only memory mapping ([Mapping]). It is the shared
// core of the npy and raw formats.
package flat
