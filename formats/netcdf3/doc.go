// Package netcdf3 reads and writes the NetCDF classic file formats: CDF-1
// (classic), CDF-2 (64-bit offset) and CDF-5 (64-bit data), as defined by
// the NetCDF Classic Format Specification. It is chunkpipe's "NetCDF
// output"; NetCDF-4 files are HDF5 files and are read by formats/hdf5.
//
// The package registers itself with [formats.Register] in init under the
// name "netcdf3", the magic prefixes "CDF\x01", "CDF\x02" and "CDF\x05" and
// the extensions ".nc" and ".nc3": a ".nc" output is always written as
// NetCDF classic.
//
// # Reading
//
// [Open] parses the header (bounds-checking every count, size and offset
// against the file size before allocating) and selects one variable that
// is two-dimensional, or becomes so by dropping a leading dimension of size
// 1 (a single record or a one-band axis). A variable whose first dimension
// is the record (unlimited) dimension is read row by row from the
// interleaved records. [Reader.ReadRegion] reads any region with
// [io.ReaderAt] at offsets computed from the header, never the whole file,
// and converts the big-endian values to host order; it is safe for
// concurrent use.
//
// # Writing
//
// [Create] writes one 2-D data variable with dimensions ("y", "x") in
// CDF-2 by default, or CDF-5 when the element type needs it (unsigned or
// 64-bit integers), when the data exceeds CDF-2's 4 GiB variable limit, or
// when spec.Options["netcdf"] is "cdf5". The header, the coordinate
// variables ([Coords]) and the file size are laid down at Create; regions
// are then written concurrently with WriteAt at offsets computed from the
// header, and [Writer.Commit] renames the temporary file into place.
//
// # Attribute values
//
// Attributes follow [formats.Attr]: text is a string, numbers are float64
// (NC_FLOAT, NC_DOUBLE) or int64 (integer types), and attributes with more
// than one value are []float64 or []int64. NC_UINT64 values above
// math.MaxInt64 are returned as float64.
package netcdf3
