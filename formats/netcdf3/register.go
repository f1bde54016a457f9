package netcdf3

import (
	"io"

	"chunkpipe/formats"
)

func init() {
	formats.Register(formats.Format{
		Name:     "netcdf3",
		Exts:     []string{".nc", ".nc3"},
		Magic:    []string{"CDF\x01", "CDF\x02", "CDF\x05"},
		RowMajor: true,
		Open: func(path string, opts formats.OpenOptions) (formats.Reader, error) {
			r, err := Open(path, opts)
			if err != nil {
				return nil, err
			}
			return r, nil
		},
		OpenAt: func(ra io.ReaderAt, size int64, name string, opts formats.OpenOptions) (formats.Reader, error) {
			r, err := NewReader(ra, size, name, opts)
			if err != nil {
				return nil, err
			}
			return r, nil
		},
		Create: func(spec formats.CreateSpec) (formats.Writer, error) {
			w, err := Create(spec)
			if err != nil {
				return nil, err
			}
			return w, nil
		},
	})
}
