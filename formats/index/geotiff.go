package index

import (
	"fmt"
	"strings"

	"chunkpipe/formats/geotiff"
	"chunkpipe/formats/zarr"
)

// FromGeoTIFF describes the band r reads (a tiled image, or strips that
// divide the image evenly) as the array "band" of a group, with chunk
// references pointing to url. The blocks must be uncompressed, deflate or
// zstd, without a predictor; GDAL's nodata becomes the fill value.
func FromGeoTIFF(r *geotiff.Reader, url string) (*Refs, error) {
	l, err := r.BlockLayout()
	if err != nil {
		return nil, err
	}
	info := r.Info()
	if !l.Tiled && (l.BlockW != info.Shape.Cols || info.Shape.Rows%l.BlockH != 0) {
		return nil, fmt.Errorf("index: %s: strips of %d rows do not divide %d rows evenly: Zarr chunks cannot describe the short last strip", info.Path, l.BlockH, info.Shape.Rows)
	}
	if l.Predictor > 1 {
		return nil, fmt.Errorf("index: %s: TIFF predictor %d has no numcodecs equivalent here", info.Path, l.Predictor)
	}
	compressor := ""
	switch l.Compression {
	case 1:
		compressor = "null"
	case 8, 32946:
		compressor = `{"id": "zlib", "level": 6}`
	case 50000:
		compressor = `{"id": "zstd", "level": 9}`
	default:
		return nil, fmt.Errorf("index: %s: TIFF compression %d has no numcodecs equivalent here", info.Path, l.Compression)
	}
	dtype := zarr.TypeString(l.DType, l.BigEndian)
	if dtype == "" {
		return nil, fmt.Errorf("index: %s: no element type", info.Path)
	}
	fill := "null"
	if v, ok := info.Attrs.Float("_FillValue"); ok {
		fill = zarr.FloatJSON(v)
		if strings.ContainsAny(fill, "NI") {
			fill = `"` + fill + `"`
		} else if !l.DType.IsFloat() {
			fill = strings.TrimSuffix(fill, ".0")
		}
	}
	refs := newRefs(url)
	refs.Meta[".zgroup"] = []byte(`{"zarr_format": 2}`)
	refs.Meta[".zattrs"] = []byte("{}")
	refs.Meta["band/.zarray"] = fmt.Appendf(nil, `{"chunks": [%d, %d], "compressor": %s, "dtype": %q, "fill_value": %s, "filters": null, "order": "C", "shape": [%d, %d], "zarr_format": 2}`,
		l.BlockH, l.BlockW, compressor, dtype, fill, info.Shape.Rows, info.Shape.Cols)
	var b strings.Builder
	b.WriteString("{")
	for _, a := range info.Attrs {
		if v, ok := jsonValue(a.Value); ok {
			k, _ := jsonValue(a.Name)
			b.WriteString("\n    " + k + ": " + v + ",")
		}
	}
	b.WriteString("\n    \"_ARRAY_DIMENSIONS\": [\"y\", \"x\"]\n}")
	refs.Meta["band/.zattrs"] = []byte(b.String())
	for i := range l.Down {
		for j := range l.Across {
			k := i*l.Across + j
			if l.Counts[k] == 0 {
				continue // sparse: never written, reads as the fill value
			}
			refs.Chunks[fmt.Sprintf("band/%d.%d", i, j)] = Range{int64(l.Offsets[k]), int64(l.Counts[k])}
		}
	}
	return refs, nil
}
