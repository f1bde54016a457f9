package index

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"

	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
	"chunkpipe/formats/hdf5"
	"chunkpipe/formats/remote"
	"chunkpipe/internal/regularfile"
)

// Build indexes the file at src (a local path or an http(s):// or s3://
// URL): a NetCDF-4/HDF5 file, or the first band of a GeoTIFF. The chunk
// references point to url, or to src when url is empty (local paths made
// absolute).
func Build(ctx context.Context, src, url string) (*Refs, error) {
	var ra io.ReaderAt
	var size int64
	if formats.IsURL(src) {
		f, err := remote.Open(ctx, src, remote.Options{})
		if err != nil {
			return nil, err
		}
		defer f.Close()
		ra, size = f, f.Size()
	} else {
		f, st, err := regularfile.Open(src)
		if err != nil {
			return nil, fmt.Errorf("index: %w", err)
		}
		defer f.Close()
		ra, size = f, st.Size()
		if url == "" {
			if url, err = filepath.Abs(src); err != nil {
				return nil, fmt.Errorf("index: %w", err)
			}
		}
	}
	if url == "" {
		url = src
	}
	head := make([]byte, 8)
	if _, err := ra.ReadAt(head, 0); err != nil && err != io.EOF {
		return nil, fmt.Errorf("index: %s: %w", src, err)
	}
	switch {
	case bytes.Equal(head, []byte("\x89HDF\r\n\x1a\n")):
		f, err := hdf5.OpenReaderAt(ra, size, src)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return FromHDF5(f, url)
	case bytes.HasPrefix(head, []byte("II")) || bytes.HasPrefix(head, []byte("MM")):
		r, err := geotiff.NewReader(ra, size, src, "")
		if err != nil {
			return nil, err
		}
		return FromGeoTIFF(r, url)
	}
	return nil, fmt.Errorf("index: %s: neither HDF5 (NetCDF-4) nor TIFF", src)
}
