// Package all registers every file format chunkpipe knows; programs import
// it for its side effects: import _ "chunkpipe/formats/all".
package all

import (
	_ "chunkpipe/formats/geotiff"   // GeoTIFF and COG, read and write
	_ "chunkpipe/formats/netcdf3"   // NetCDF classic (CDF-1, CDF-2, CDF-5), read and write
	_ "chunkpipe/formats/netcdf4"   // NetCDF-4 and HDF5, read
	_ "chunkpipe/formats/npy"       // .npy
	_ "chunkpipe/formats/quicklook" // .png quicklooks
	_ "chunkpipe/formats/raw"       // headerless binary
	_ "chunkpipe/formats/remote"    // http://, https:// and s3:// inputs, read by range requests
	_ "chunkpipe/formats/zarr"      // Zarr v2, read and write
)
