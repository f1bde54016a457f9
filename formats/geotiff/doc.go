// Package geotiff reads and writes GeoTIFF and Cloud-Optimized GeoTIFF
// (COG) files for chunkpipe. Importing it registers the "geotiff" format
// (extensions .tif and .tiff) with [formats.Register].
//
// # Reading
//
// The reader understands classic TIFF and BigTIFF in both byte orders,
// striped and tiled layouts, 8- to 64-bit integer and 32/64-bit float
// samples, the compressions none (1), LZW (5), Adobe deflate (8), old
// deflate (32946), PackBits (32773) and zstd (50000), the horizontal
// predictor (2) for every integer size and GDAL's floating-point predictor
// (3). Multi-band images are read one band at a time, whether stored pixel
// interleaved (PlanarConfiguration 1) or planar (2): OpenOptions.Variable
// "band:N" picks band N (1-based, default 1), and "overview:K" or
// "band:N/overview:K" picks the K-th reduced-resolution image (1-based, the
// largest first).
//
// A region read decodes only the tiles or strips it touches, several of them
// in parallel when there is more than one, with pooled decompressors and
// buffers. A [Reader] is safe for concurrent use: it reads with ReadAt and
// holds no lock while decoding.
//
// Sizes, offsets and counts from the file are checked against the file size
// before anything is allocated, so a corrupt or hostile file yields an error
// prefixed "geotiff: " that names the file, never a panic or a huge
// allocation.
//
// # Writing
//
// [Create] writes a tiled, single-band GeoTIFF in a streaming way: regions
// arrive in any order from several goroutines, are cut into tiles, and each
// tile is predicted and compressed in the goroutine that completes it, then
// appended to a temporary file. Partial tiles wait in memory until every
// region that covers them has arrived, so memory stays bounded by the rows
// of tiles in flight. Commit writes the IFD and renames the file into
// place. Files that could pass 4 GiB are written as BigTIFF.
//
// With the option cog=true, Commit lays out a Cloud-Optimized GeoTIFF
// instead: GDAL's structural-metadata "ghost" header, all IFDs, then the
// overview tiles from the smallest level up and the full-resolution tiles
// last, each tile framed by a 4-byte size leader and a trailer repeating its
// last 4 bytes. The cost is that tiles are first staged in a side file, and
// Commit decodes the full-resolution tiles once, one row of tiles at a
// time, to build the 2x averaged overviews, then copies every compressed
// tile into the final file: roughly one extra read and write of the
// compressed output plus one decompression of the full-resolution image.
//
// # Georeferencing
//
// [Georef] holds the GeoTIFF tags (ModelPixelScale, ModelTiepoint,
// ModelTransformation and the GeoKey directory with its double and ASCII
// parameters). The reader puts it in Info.Geo; the writer copies it from
// CreateSpec.Source.Geo, scaled by CreateSpec.Factor.
package geotiff
