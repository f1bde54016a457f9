package lab_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"chunkpipe/lab"
)

// tableRows is a small table with a failure and a row without speedup.
func tableRows() []lab.Row {
	return lab.Summarize([]lab.Sample{
		with(smp(1, "free", "256", 2000), 400, 300<<20, 0, 0),
		with(smp(4, "free", "256", 500), 1600, 450<<20, 0, 0),
		with(smp(4, "gil", "256", 1900), 420, 450<<20, 5400, 0),
		failed(4, "processes", "huge", "chunk 1000000 | larger than\ninput"),
	})
}

func TestWriteTable(t *testing.T) {
	var buf bytes.Buffer
	if err := lab.WriteTable(&buf, tableRows()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines, want a header and 4 rows:\n%s", len(lines), out)
	}
	wantCells := [][]string{
		{"workers", "lock", "chunks", "runs", "wall s", "min s", "max s", "MB/s", "peak RSS", "speedup", "efficiency", "lock wait s", "copied", "error"},
		{"1", "free", "256", "1", "2.000", "400.0", "300.0 MiB", "1.00x", "100%", "0.000", "0 B"},
		{"4", "free", "256", "1", "0.500", "1600.0", "450.0 MiB", "4.00x", "100%"},
		{"4", "gil", "256", "1", "1.900", "5.400", "-"},
		{"4", "processes", "huge", "0/1", "-", "chunk 1000000 | larger than input"},
	}
	for i, cells := range wantCells {
		for _, c := range cells {
			if !strings.Contains(lines[i], c) {
				t.Errorf("line %d lacks %q:\n%s", i, c, lines[i])
			}
		}
	}
	// Right-aligned columns end at the same place on every line: the
	// header's "MB/s" ends where each row's MB/s cell ends.
	end := strings.Index(lines[0], "MB/s") + len("MB/s")
	for i, v := range []string{"400.0", "1600.0", "420.0", "-"} {
		if got := lines[i+1][:end]; !strings.HasSuffix(got, v) {
			t.Errorf("row %d: MB/s column ends %q, want it to end with %q", i, got, v)
		}
	}
}

func TestWriteMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := lab.WriteMarkdown(&buf, tableRows()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d lines, want header, separator and 4 rows:\n%s", len(lines), buf.String())
	}
	width := utf8.RuneCountInString(lines[0])
	for i, l := range lines {
		if !strings.HasPrefix(l, "| ") || !strings.HasSuffix(l, " |") {
			t.Errorf("line %d is not a table row: %q", i, l)
		}
		if n := strings.Count(l, "|") - strings.Count(l, `\|`); n != 15 {
			t.Errorf("line %d has %d cell borders, want 15 (14 columns): %q", i, n, l)
		}
		if w := utf8.RuneCountInString(l); w != width {
			t.Errorf("line %d is %d wide, header %d: not aligned", i, w, width)
		}
	}
	if !strings.HasPrefix(lines[1], "| ------: | :-------- | ") {
		t.Errorf("separator %q: want workers right-aligned and lock left-aligned", lines[1])
	}
	if !strings.Contains(lines[5], `chunk 1000000 \| larger than input`) {
		t.Errorf("error cell not escaped onto one line: %q", lines[5])
	}
}

func TestWriteTableNoErrorColumn(t *testing.T) {
	var buf bytes.Buffer
	if err := lab.WriteTable(&buf, lab.Summarize([]lab.Sample{smp(1, "free", "auto", 10)})); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "error") {
		t.Errorf("error column without failures:\n%s", buf.String())
	}
}
