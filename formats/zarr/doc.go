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
// C or F order, "." or "/" dimension separators, and no filters. The
// compressors are null, zlib, gzip, zstd, lz4 (numcodecs' framing) and
// blosc (the blosc1 container, decoded here: codecs blosclz, lz4, lz4hc,
// zlib and zstd; byte shuffle and bit shuffle; split and unsplit blocks;
// uncompressed containers). Snappy inside blosc is not supported. Chunk
// files that do not exist read as the fill value. The [Reader] decodes only
// the chunks a region touches and is safe for concurrent use.
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
