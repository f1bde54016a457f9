// Package npy reads and writes NumPy .npy files (format versions 1, 2 and
// 3): 2-D arrays of int8 to float64 in either byte order, C or Fortran
// order. Reads are by region with positioned reads, so a file larger than
// memory is never loaded whole; writes are by region with positioned writes
// into a temporary file renamed on commit.
//
// Importing the package registers the "npy" format with package formats.
package npy
