// Package robust derives malformed inputs from good files of every format
// chunkpipe reads, for the cross-format robustness tests.
//
// [Generate] writes small good files with chunkpipe's own writers (.npy,
// raw, NetCDF classic, GeoTIFF, Zarr), takes real instrument files (GOES
// ABI NetCDF4, GeoTIFFs, HDF5) when a directory of them is given, and
// derives from all of them a corpus of bad [Case]s: truncations at many
// offsets, flipped bytes in headers and inside compressed chunks,
// fletcher32 mismatches, dimensions that declare terabytes, zero or
// negative sizes, group cycles, attributes of the wrong type, non-finite
// calibration attributes, corrupted Zarr metadata and chunk files, bad
// .npy headers, and hostile files: a FIFO or a link to /dev/zero as the
// input or inside a Zarr store, and sparse files whose Zarr chunk, TIFF
// tile count or HDF5 chunk entry declares 3 GB for a few hundred bytes.
//
// The tests in this package open every case with formats.Open, read the
// regions of a small grid (and run the chunkpipe command on a subset), and
// require an error that names the file, bounded memory, no panic and no
// hang. The corpus is generated at test time into a temporary directory,
// so nothing derived is committed.
package robust
