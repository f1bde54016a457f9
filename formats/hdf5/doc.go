// Package hdf5 is a read-only, pure-Go reader for HDF5 files, including
// netCDF-4 files (which are HDF5 files following the netCDF-4 conventions).
//
// It supports superblock versions 0 to 3, version 1 and 2 object headers
// (with continuation blocks and checksums), old-style groups (symbol table,
// v1 B-tree and local heap) and new-style groups (compact link messages and
// dense links in a fractal heap indexed by a v2 B-tree), compact and dense
// attributes, and the common datatypes: fixed-point and floating point
// numbers of either byte order, fixed and variable-length strings, with
// compound, enum, reference, opaque, array and variable-length types
// described and passed through as raw bytes.
//
// Raw data may be compact, contiguous or chunked. Chunk indexes of all kinds
// are supported: the v1 B-tree of layout versions 1-3 and the single-chunk,
// implicit, fixed-array, extensible-array and v2 B-tree indexes of layout
// version 4. The deflate, shuffle and fletcher32 filters are decoded; other
// filters produce an error wrapping ErrUnsupported that names the filter and
// the variable, never garbage data.
//
// Opening a file reads all metadata. Reading data through
// Dataset.ReadHyperslab decodes only the chunks overlapping the requested
// region; a dataset's chunk index is loaded once, on first use. Files are
// accessed with io.ReaderAt only, so one File can serve many goroutines
// concurrently without any lock; decompressors and buffers are pooled.
//
// Values are returned in C order with numbers in host (little-endian) byte
// order and without netCDF scaling: apply scale_factor/add_offset and
// interpret _Unsigned yourself (see the attribute helpers).
//
// netCDF-4 conventions: dimension scales are recognised (Dataset.Dims
// reports dimension names); bookkeeping attributes such as _NCProperties,
// _Netcdf4Dimid, _Netcdf4Coordinates, DIMENSION_LIST, REFERENCE_LIST and the
// CLASS/NAME attributes of dimension scales are hidden from Attrs (AllAttrs
// returns them), while _FillValue, _Unsigned, scale_factor, add_offset,
// valid_range and missing_value are kept. File.Dataset addresses variables
// by name ("Rad") or by path ("/NS/SLV/zFactorCorrected").
//
// Every size and address read from the file is checked against the file
// size before use, and structural loops are detected, so corrupt or
// truncated input yields an error (wrapping ErrCorrupt) rather than a panic,
// a hang or a huge allocation. All errors have the form
// "hdf5: FILE: OBJECT: detail".
package hdf5
