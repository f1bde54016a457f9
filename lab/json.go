package lab

import (
	"encoding/json"
	"fmt"
	"io"
)

// Report is the document [WriteJSON] writes: the summary rows and the raw
// samples they came from, in the order they ran.
type Report struct {
	Rows    []Row    `json:"rows"`
	Samples []Sample `json:"samples"`
}

// WriteJSON writes rows and samples as one indented JSON [Report]. Times are
// integer nanoseconds (fields ending in _ns), sizes bytes; nil slices are
// written as empty arrays.
func WriteJSON(w io.Writer, rows []Row, samples []Sample) error {
	rep := Report{Rows: rows, Samples: samples}
	if rep.Rows == nil {
		rep.Rows = []Row{}
	}
	if rep.Samples == nil {
		rep.Samples = []Sample{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return fmt.Errorf("lab: writing json: %w", err)
	}
	return nil
}
