package geotiff

import (
	"io"

	"chunkpipe/formats"
)

// OpenAt reads a GeoTIFF of size bytes through ra (a remote file, for
// instance) and selects a band as [Open] does; name stands for the file in
// errors and Info.Path. Close does not close ra.
func OpenAt(ra io.ReaderAt, size int64, name string, opts formats.OpenOptions) (formats.Reader, error) {
	r, err := NewReader(ra, size, name, opts.Variable)
	if err != nil {
		return nil, err
	}
	return r, nil
}
