package pipeline

import (
	"testing"

	"chunkpipe/kernels"
)

// Every kernel and reducer of the catalog has a gil-mode note, and every
// note belongs to a catalog entry.
func TestGILNotesCoverCatalog(t *testing.T) {
	names := map[string]bool{}
	for _, d := range kernels.Catalog() {
		names[d.Name] = true
		n, ok := GILNotes(d.Name)
		if !ok || n.Python == "" || n.Numpy == "" {
			t.Errorf("%s: gil note %+v", d.Name, n)
		}
	}
	for name := range gilNotes {
		if !names[name] {
			t.Errorf("gil note for %q, which is not in the catalog", name)
		}
	}
}
