package zarr

import "chunkpipe/formats"

func init() {
	formats.Register(formats.Format{
		Name: "zarr",
		Exts: []string{".zarr"},
		Dir:  true,
		Open: func(path string, opts formats.OpenOptions) (formats.Reader, error) {
			r, err := Open(path, opts)
			if err != nil {
				return nil, err
			}
			return r, nil
		},
		OpenURL: func(url string, opts formats.OpenOptions) (formats.Reader, error) {
			r, err := OpenURL(url, opts)
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
	formats.Register(formats.Format{
		Name: "kerchunk",
		Exts: []string{".json"},
		Open: func(path string, opts formats.OpenOptions) (formats.Reader, error) {
			r, err := OpenRefs(path, opts)
			if err != nil {
				return nil, err
			}
			return r, nil
		},
		OpenURL: func(url string, opts formats.OpenOptions) (formats.Reader, error) {
			r, err := OpenRefs(url, opts)
			if err != nil {
				return nil, err
			}
			return r, nil
		},
	})
}
