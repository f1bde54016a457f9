package geotiff

import "chunkpipe/formats"

// Format is the registration record of the GeoTIFF format.
var Format = formats.Format{
	Name:   "geotiff",
	Exts:   []string{".tif", ".tiff"},
	Magic:  []string{"II*\x00", "MM\x00*", "II+\x00", "MM\x00+"},
	Open:   Open,
	OpenAt: OpenAt,
	Create: Create,
	// Bands are written pixel-interleaved (PlanarConfiguration 1).
	MultiBand: true,
}

func init() {
	formats.Register(Format)
}
