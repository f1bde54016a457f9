package zarr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"chunkpipe/formats"
)

// dimsAttr is the attribute in which xarray keeps an array's dimension names.
const dimsAttr = "_ARRAY_DIMENSIONS"

// nonFinitePrefix marks the strings that stand in for the bare NaN,
// Infinity and -Infinity tokens Python's json module writes.
const nonFinitePrefix = "\x00zarr-nonfinite:"

// parseAttrs parses a .zattrs document into attributes in document order.
// Numbers become int64 when integral and float64 otherwise; arrays of
// numbers become []int64 or []float64; other values (booleans, nested
// objects, arrays of strings) are kept as their JSON text. The names of
// _ARRAY_DIMENSIONS are returned apart and not included in the list.
func parseAttrs(data []byte) (attrs formats.Attrs, dims []string, err error) {
	data = quoteNonFinite(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, fmt.Errorf("bad .zattrs JSON: %v", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil, fmt.Errorf("bad .zattrs JSON: not an object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, fmt.Errorf("bad .zattrs JSON: %v", err)
		}
		name, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, fmt.Errorf("bad .zattrs JSON: attribute %q: %v", name, err)
		}
		if name == dimsAttr {
			if err := json.Unmarshal(raw, &dims); err != nil {
				return nil, nil, fmt.Errorf("bad .zattrs: %s is not a list of names", dimsAttr)
			}
			continue
		}
		attrs = append(attrs, formats.Attr{Name: name, Value: attrValue(raw)})
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, fmt.Errorf("bad .zattrs JSON: %v", err)
	}
	return attrs, dims, nil
}

// attrValue converts one JSON attribute value (see parseAttrs).
func attrValue(raw json.RawMessage) any {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return string(raw)
	}
	switch x := v.(type) {
	case string:
		if f, ok := nonFinite(x); ok {
			return f
		}
		return x
	case json.Number:
		return number(x)
	case []any:
		if len(x) == 0 {
			return string(raw)
		}
		ints := make([]int64, 0, len(x))
		floats := make([]float64, 0, len(x))
		for _, e := range x {
			var n any
			switch y := e.(type) {
			case json.Number:
				n = number(y)
			case string:
				f, ok := nonFinite(y)
				if !ok {
					return string(raw)
				}
				n = f
			default:
				return string(raw)
			}
			switch y := n.(type) {
			case int64:
				ints = append(ints, y)
				floats = append(floats, float64(y))
			case float64:
				ints = nil
				floats = append(floats, y)
			}
		}
		if len(ints) == len(x) {
			return ints
		}
		return floats
	}
	return string(raw)
}

func number(n json.Number) any {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i
	}
	f, _ := strconv.ParseFloat(string(n), 64)
	return f
}

func nonFinite(s string) (float64, bool) {
	switch strings.TrimPrefix(s, nonFinitePrefix) {
	case s:
		return 0, false
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	return 0, false
}

// quoteNonFinite turns the bare NaN, Infinity and -Infinity tokens that
// Python writes into marked strings, leaving string contents alone.
func quoteNonFinite(data []byte) []byte {
	if !bytes.Contains(data, []byte("NaN")) && !bytes.Contains(data, []byte("Infinity")) {
		return data
	}
	var out []byte
	inString, escaped := false, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			out = append(out, c)
			continue
		}
		if c == '"' {
			inString = true
			out = append(out, c)
			continue
		}
		matched := false
		for _, tok := range []string{"NaN", "Infinity", "-Infinity"} {
			if bytes.HasPrefix(data[i:], []byte(tok)) {
				q, _ := json.Marshal(nonFinitePrefix + tok)
				out = append(out, q...)
				i += len(tok) - 1
				matched = true
				break
			}
		}
		if !matched {
			out = append(out, c)
		}
	}
	return out
}

// attrJSON converts an attribute value for .zattrs. Non-finite floats are
// written as Python's json module writes them (bare NaN, Infinity), which
// zarr-python and xarray read back as floats.
func attrJSON(v any) json.RawMessage {
	switch x := v.(type) {
	case string:
		b, _ := json.Marshal(x)
		return b
	case float64:
		return floatJSON(x)
	case float32:
		return floatJSON(float64(x))
	case int64:
		return json.RawMessage(strconv.FormatInt(x, 10))
	case int:
		return json.RawMessage(strconv.Itoa(x))
	case []float64:
		parts := make([]string, len(x))
		for i, f := range x {
			parts[i] = string(floatJSON(f))
		}
		return json.RawMessage("[" + strings.Join(parts, ", ") + "]")
	case []int64:
		b, _ := json.Marshal(x)
		return b
	}
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(fmt.Sprint(v))
	}
	return b
}

// floatJSON formats f so that Python reads it back as a float.
func floatJSON(f float64) json.RawMessage { return json.RawMessage(FloatJSON(f)) }

// FloatJSON writes f as Zarr metadata and Python's json module write a
// float: the fewest digits that read back to the same float64, always
// with a '.' or an exponent, and non-finite values as the bare NaN,
// Infinity and -Infinity that zarr-python, xarray and chunkpipe accept.
func FloatJSON(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

// marshalAttrs returns a .zattrs document holding attrs in order, with
// _ARRAY_DIMENSIONS first when dims is not nil.
func marshalAttrs(attrs formats.Attrs, dims []string) []byte {
	var buf bytes.Buffer
	buf.WriteString("{")
	n := 0
	add := func(name string, v json.RawMessage) {
		if n > 0 {
			buf.WriteString(",")
		}
		n++
		k, _ := json.Marshal(name)
		buf.WriteString("\n    ")
		buf.Write(k)
		buf.WriteString(": ")
		buf.Write(v)
	}
	if dims != nil {
		d, _ := json.Marshal(dims)
		add(dimsAttr, d)
	}
	for _, a := range attrs {
		if a.Name == dimsAttr {
			continue
		}
		add(a.Name, attrJSON(a.Value))
	}
	if n > 0 {
		buf.WriteString("\n")
	}
	buf.WriteString("}")
	return buf.Bytes()
}
