package zarr

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// metaDoc is one metadata document of a store and its key, e.g.
// "Rad/.zarray".
type metaDoc struct {
	key  string
	data []byte
}

// consolidate returns the .zmetadata document (zarr-python's consolidated
// metadata, format 1) holding docs. The documents are embedded as written,
// so attributes with non-finite floats stay as Python writes them.
func consolidate(docs []metaDoc) []byte {
	sorted := append([]metaDoc(nil), docs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].key < sorted[j].key })
	var buf bytes.Buffer
	buf.WriteString("{\n    \"metadata\": {")
	for i, d := range sorted {
		if i > 0 {
			buf.WriteString(",")
		}
		k, _ := json.Marshal(d.key)
		buf.WriteString("\n        ")
		buf.Write(k)
		buf.WriteString(": ")
		buf.WriteString(strings.ReplaceAll(string(d.data), "\n", "\n        "))
	}
	buf.WriteString("\n    },\n    \"zarr_consolidated_format\": 1\n}")
	return buf.Bytes()
}
