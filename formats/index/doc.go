// Package index writes kerchunk reference documents: JSON files that
// describe a NetCDF-4/HDF5 file (or a tiled GeoTIFF) as a Zarr v2 store
// whose chunks are byte ranges of the original file,
//
//	{"version": 1, "refs": {
//	    ".zgroup": "{\"zarr_format\": 2}",
//	    "Rad/.zarray": "{...}", "Rad/.zattrs": "{...}",
//	    "Rad/0.0": ["https://host/file.nc", 30514, 41622], ...}}
//
// so that a reader (chunkpipe's, or fsspec's ReferenceFileSystem with
// zarr) fetches only the chunks it needs, with none of the file's metadata
// reads. HDF5 filter pipelines map to numcodecs: shuffle becomes the
// "shuffle" filter, deflate the "zlib" compressor. Variables whose storage
// has no such mapping (other filters, Fletcher-32 checksums, chunks whose
// filters were skipped, compact or external storage, non-numeric types)
// are left out and listed in [Refs.Skipped].
package index
