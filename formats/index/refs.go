package index

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"

	"chunkpipe/formats"
	"chunkpipe/formats/zarr"
)

// Refs is a kerchunk reference document (version 1) being built.
type Refs struct {
	// URL is where the chunk references point: the indexed file's URL
	// or path.
	URL string
	// Meta holds the metadata documents by key (".zgroup",
	// "Rad/.zarray", ...), as JSON text.
	Meta map[string][]byte
	// Chunks holds the chunk references by key ("Rad/0.0").
	Chunks map[string]Range
	// Inline holds chunks stored in the document itself, by key.
	Inline map[string][]byte
	// Skipped lists the variables left out, each with the reason.
	Skipped []string
}

// Range is the place of one chunk in the indexed file.
type Range struct{ Offset, Length int64 }

func newRefs(url string) *Refs {
	return &Refs{URL: url, Meta: map[string][]byte{}, Chunks: map[string]Range{}, Inline: map[string][]byte{}}
}

// MarshalJSON writes the document: {"version": 1, "refs": {...}}, keys
// sorted, metadata as JSON strings, chunks as [URL, OFFSET, LENGTH] and
// inline chunks as "base64:..." strings.
func (r *Refs) MarshalJSON() ([]byte, error) {
	keys := make([]string, 0, len(r.Meta)+len(r.Chunks))
	for k := range r.Meta {
		keys = append(keys, k)
	}
	for k := range r.Chunks {
		keys = append(keys, k)
	}
	for k := range r.Inline {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	url, _ := json.Marshal(r.URL)
	var b bytes.Buffer
	b.WriteString("{\"version\": 1, \"refs\": {")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(",")
		}
		kj, _ := json.Marshal(k)
		b.WriteString("\n  ")
		b.Write(kj)
		b.WriteString(": ")
		if m, ok := r.Meta[k]; ok {
			s, _ := json.Marshal(string(m))
			b.Write(s)
			continue
		}
		if d, ok := r.Inline[k]; ok {
			b.WriteString(`"base64:` + base64.StdEncoding.EncodeToString(d) + `"`)
			continue
		}
		c := r.Chunks[k]
		fmt.Fprintf(&b, "[%s, %d, %d]", url, c.Offset, c.Length)
	}
	b.WriteString("\n}}\n")
	return b.Bytes(), nil
}

// WriteFile writes the document to path atomically (a temporary file
// renamed into place), replacing an existing file.
func (r *Refs) WriteFile(path string) error {
	data, err := r.MarshalJSON()
	if err != nil {
		return err
	}
	f, err := formats.CreateAtomic(path, true)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return fmt.Errorf("index: %s: %w", path, err)
	}
	return f.Commit()
}

// jsonValue converts an attribute value (a number, string or slice of
// them) to JSON as Python's json module writes it: non-finite floats as
// the bare NaN, Infinity and -Infinity that zarr-python and chunkpipe
// accept. ok is false for values with no JSON form (compound, nested).
func jsonValue(v any) (string, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		s, _ := json.Marshal(rv.String())
		return string(s), true
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool()), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(rv.Uint(), 10), true
	case reflect.Float32, reflect.Float64:
		return zarr.FloatJSON(rv.Float()), true
	case reflect.Slice, reflect.Array:
		var b bytes.Buffer
		b.WriteString("[")
		for i := 0; i < rv.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			s, ok := jsonValue(rv.Index(i).Interface())
			if !ok || (len(s) > 0 && s[0] == '[') {
				return "", false
			}
			b.WriteString(s)
		}
		b.WriteString("]")
		return b.String(), true
	}
	return "", false
}
