package quicklook

import "chunkpipe/formats"

func init() {
	formats.Register(formats.Format{
		Name: "png",
		Exts: []string{".png"},
		Create: func(spec formats.CreateSpec) (formats.Writer, error) {
			w, err := Create(spec)
			if err != nil {
				return nil, err
			}
			return w, nil
		},
	})
}
