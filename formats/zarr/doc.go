// Package zarr reads and writes Zarr v2 directory stores of 2-D arrays, in
// pure Go, and registers the "zarr" format (extension .zarr) with
// [formats].
//
// # Reading
//
// [Open] accepts a store that is an array (.zarray at the root) or a group
// (.zgroup), searched recursively for arrays; [formats.OpenOptions]
// Variable picks an array by its slash-separated path, and by default a
// group's only 2-D array is opened. Arrays have element types int8 to
// uint64, float32 or float64 in either byte order ("<f4", ">i2", "|u1"),
// C or F order, "." or "/" dimension separators, and no filters but
// numcodecs' shuffle (as kerchunk describes HDF5's shuffle filter). The
// compressors are null, zlib, gzip, zstd, lz4 (numcodecs' framing) and
// blosc (the blosc1 container, decoded here: codecs blosclz, lz4, lz4hc,
// zlib and zstd; byte shuffle and bit shuffle; split and unsplit blocks;
// uncompressed containers). Snappy inside blosc is not supported. Chunk
// files that do not exist read as the fill value. The [Reader] decodes only
// the chunks a region touches and is safe for concurrent use.
//
// # Remote stores
//
// [OpenURL] (and [formats.Open] of a URL whose path ends in .zarr) reads a
// store where it lives, over HTTP(S) or S3 (see package
// chunkpipe/formats/remote for endpoints and credentials): every key is
// one GET of URL/KEY, with the remote package's retries. Consolidated
// metadata (.zmetadata) is used when the store has it, so that opening
// takes one request; otherwise metadata documents are fetched one by one,
// and a group is searched through an S3 listing (a plain HTTP store
// without .zmetadata needs its array named as the variable). A chunk key
// answered 404 reads as the fill value, as a missing chunk file does; any
// other failure (403, 5xx after the retries) is an error naming the
// chunk's URL and key. Note that S3 answers 403, not 404, for a missing
// key when the caller may not list the bucket: such a chunk is an error.
//
// [OpenRefs] (and [formats.Open] of a .json path or URL, format
// "kerchunk") reads the store a kerchunk reference document describes
// (see package chunkpipe/formats/index, which writes them): metadata from
// the document, each chunk a byte range of the file it points into,
// neighbouring chunks of an array fetched in one range request. The
// [Reader]'s Scalars returns the store's one-element arrays (ABI's
// calibration constants), unpacked, as the NetCDF-4 reader does.
//
// # Writing
//
// [Create] writes a group store holding one array whose chunks are the
// compute grid's, so that each region the pipeline writes becomes one
// chunk file, encoded and written by the goroutine that delivers it. The
// array gets _ARRAY_DIMENSIONS and the store consolidated metadata, so that
// xarray.open_zarr and zarr.open_consolidated read it. The store is built
// in a temporary directory and renamed into place on [Writer.Commit].
//
// # Safety
//
// Sizes read from metadata are checked before anything is allocated (a
// chunk may decode to at most 2 GiB), and a chunk file that does not decode
// to exactly its chunk's size is an error naming the store and the chunk
// key. Errors begin with "zarr: " and the store's path.
package zarr
