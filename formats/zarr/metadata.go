package zarr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"chunkpipe/chunk"
)

// maxChunkBytes bounds the decoded size of one chunk, checked before any
// allocation. It matches blosc1's limit of a signed 32-bit size.
const maxChunkBytes = 1<<31 - 1

// maxDim bounds each dimension of an array's shape.
const maxDim = 1 << 40

// arrayMeta is the parsed .zarray of one 2-D array.
type arrayMeta struct {
	Shape      chunk.Shape
	Chunks     chunk.Shape
	Type       elemType
	Fill       fillValue
	FOrder     bool   // chunks are stored column-major (order "F")
	Sep        string // dimension separator in chunk keys: "." or "/"
	Codec      codec
	Compressor json.RawMessage // the compressor object as stored
}

// zarrayJSON is the .zarray document (Zarr storage specification v2).
type zarrayJSON struct {
	ZarrFormat         int             `json:"zarr_format"`
	Shape              []int64         `json:"shape"`
	Chunks             []int64         `json:"chunks"`
	DType              json.RawMessage `json:"dtype"`
	Compressor         json.RawMessage `json:"compressor"`
	FillValue          json.RawMessage `json:"fill_value"`
	Order              string          `json:"order"`
	Filters            json.RawMessage `json:"filters"`
	DimensionSeparator string          `json:"dimension_separator,omitempty"`
}

// parseArrayMeta parses and validates a .zarray document. It allocates
// nothing that depends on the sizes it reads.
func parseArrayMeta(data []byte) (*arrayMeta, error) {
	var z zarrayJSON
	if err := json.Unmarshal(data, &z); err != nil {
		return nil, fmt.Errorf("bad .zarray JSON: %v", err)
	}
	if z.ZarrFormat != 2 {
		return nil, fmt.Errorf(".zarray: unsupported zarr_format %d (want 2)", z.ZarrFormat)
	}
	if len(z.Shape) != 2 {
		return nil, fmt.Errorf(".zarray: array has %d dimensions; chunkpipe reads 2-D arrays", len(z.Shape))
	}
	if len(z.Chunks) != len(z.Shape) {
		return nil, fmt.Errorf(".zarray: chunks %v do not match shape %v", z.Chunks, z.Shape)
	}
	for i := range 2 {
		if z.Shape[i] < 0 || z.Shape[i] > maxDim {
			return nil, fmt.Errorf(".zarray: bad shape %v", z.Shape)
		}
		if z.Chunks[i] < 1 || z.Chunks[i] > maxChunkBytes {
			return nil, fmt.Errorf(".zarray: bad chunks %v", z.Chunks)
		}
	}
	if err := chunk.CheckShape(chunk.Shape{Rows: int(z.Shape[0]), Cols: int(z.Shape[1])}); err != nil {
		return nil, fmt.Errorf(".zarray: %w", err)
	}
	var ds string
	if err := json.Unmarshal(z.DType, &ds); err != nil {
		return nil, fmt.Errorf(".zarray: unsupported dtype %s (want a NumPy type string such as \"<f4\")", z.DType)
	}
	t, err := parseDType(ds)
	if err != nil {
		return nil, fmt.Errorf(".zarray: %v", err)
	}
	m := &arrayMeta{
		Shape:      chunk.Shape{Rows: int(z.Shape[0]), Cols: int(z.Shape[1])},
		Chunks:     chunk.Shape{Rows: int(z.Chunks[0]), Cols: int(z.Chunks[1])},
		Type:       t,
		Compressor: z.Compressor,
	}
	if n := z.Chunks[0] * z.Chunks[1]; n > maxChunkBytes/int64(t.DType.Size()) {
		return nil, fmt.Errorf(".zarray: chunks %v of %s take more than %d bytes", z.Chunks, ds, maxChunkBytes)
	}
	switch z.Order {
	case "C":
	case "F":
		m.FOrder = true
	default:
		return nil, fmt.Errorf(".zarray: bad order %q (want \"C\" or \"F\")", z.Order)
	}
	switch z.DimensionSeparator {
	case "", ".":
		m.Sep = "."
	case "/":
		m.Sep = "/"
	default:
		return nil, fmt.Errorf(".zarray: bad dimension_separator %q (want \".\" or \"/\")", z.DimensionSeparator)
	}
	if m.Fill, err = parseFill(z.FillValue, t.DType); err != nil {
		return nil, fmt.Errorf(".zarray: %v", err)
	}
	if m.Codec, err = newCodec(z.Compressor, t.DType.Size()); err != nil {
		return nil, fmt.Errorf(".zarray: %v", err)
	}
	if m.Codec, err = withFilters(z.Filters, m.Codec, t.DType.Size()); err != nil {
		return nil, fmt.Errorf(".zarray: %v", err)
	}
	return m, nil
}

// chunkBytes returns the decoded size of one chunk.
func (m *arrayMeta) chunkBytes() int { return m.Chunks.Len() * m.Type.DType.Size() }

// grid returns the number of chunk rows and columns.
func (m *arrayMeta) grid() (rows, cols int) {
	return ceilDiv(m.Shape.Rows, m.Chunks.Rows), ceilDiv(m.Shape.Cols, m.Chunks.Cols)
}

// key returns the store key of chunk (i, j), e.g. "3.7" or "3/7".
func (m *arrayMeta) key(i, j int) string { return fmt.Sprintf("%d%s%d", i, m.Sep, j) }

// chunkRegion returns the part of the array chunk (i, j) covers.
func (m *arrayMeta) chunkRegion(i, j int) chunk.Region {
	r0, c0 := i*m.Chunks.Rows, j*m.Chunks.Cols
	return chunk.Rect(r0, c0, min(r0+m.Chunks.Rows, m.Shape.Rows), min(c0+m.Chunks.Cols, m.Shape.Cols))
}

// marshal returns the .zarray document, formatted as zarr-python formats it
// (sorted keys, four-space indent).
func (m *arrayMeta) marshal() ([]byte, error) {
	order := "C"
	if m.FOrder {
		order = "F"
	}
	doc := map[string]any{
		"zarr_format":         2,
		"shape":               []int{m.Shape.Rows, m.Shape.Cols},
		"chunks":              []int{m.Chunks.Rows, m.Chunks.Cols},
		"dtype":               m.Type.String(),
		"compressor":          m.Codec.config(),
		"fill_value":          m.Fill.json(m.Type.DType),
		"order":               order,
		"filters":             nil,
		"dimension_separator": m.Sep,
	}
	return marshalDoc(doc)
}

// marshalDoc formats a metadata document the way zarr-python does.
func marshalDoc(doc any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "    ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// describeCompressor returns the stored compressor object on one line.
func (m *arrayMeta) describeCompressor() string {
	c := bytes.TrimSpace(m.Compressor)
	if len(c) == 0 {
		return "null"
	}
	var buf bytes.Buffer
	if json.Compact(&buf, c) != nil {
		return strings.TrimSpace(string(c))
	}
	return buf.String()
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
