package netcdf4

import (
	"io"

	"chunkpipe/formats"
	"chunkpipe/formats/hdf5"
)

// OpenAt reads a NetCDF-4/HDF5 file of size bytes through ra (a remote
// file, for instance) and selects a variable as [Open] does; name stands
// for the file in errors and Info.Path. Close does not close ra.
func OpenAt(ra io.ReaderAt, size int64, name string, opts formats.OpenOptions) (formats.Reader, error) {
	f, err := hdf5.OpenReaderAt(ra, size, name)
	if err != nil {
		return nil, err
	}
	r, err := newReader(f, name, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}
