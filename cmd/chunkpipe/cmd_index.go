package main

import (
	"errors"
	"fmt"
	"os"

	"chunkpipe/formats/index"
)

// indexCmd is `chunkpipe index`.
type indexCmd struct {
	File   string `arg:"" help:"NetCDF-4/HDF5 file or tiled GeoTIFF to index: a local path or an http(s):// or s3:// URL."`
	Output string `short:"o" required:"" help:"Reference document to write (kerchunk JSON, version 1)."`
	URL    string `help:"Where the references point (the URL the file will be read from); default: FILE (made absolute when local)."`
}

// Run writes the index and lists the variables left out.
func (c *indexCmd) Run(g *globals) error {
	if c.Output == "" {
		return usage(errors.New("index: -o FILE.json is required"))
	}
	refs, err := index.Build(g.ctx, c.File, c.URL)
	if err != nil {
		return err
	}
	if err := refs.WriteFile(c.Output); err != nil {
		return err
	}
	for _, s := range refs.Skipped {
		fmt.Fprintf(os.Stderr, "chunkpipe index: left out %s\n", s)
	}
	fmt.Fprintf(os.Stderr, "chunkpipe index: %s: %d metadata documents, %d chunk references to %s\n", c.Output, len(refs.Meta), len(refs.Chunks), refs.URL)
	return nil
}
