package lab

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// column is one column of the text and markdown tables.
type column struct {
	head  string
	right bool // right-aligned (numbers)
	cell  func(r Row) string
}

// dash stands in for a measurement a row does not have.
const dash = "-"

// columns returns the table columns; the error column only when a row has
// a failure.
func columns(rows []Row) []column {
	measured := func(f func(r Row) string) func(r Row) string {
		return func(r Row) string {
			if r.N == 0 {
				return dash
			}
			return f(r)
		}
	}
	cols := []column{
		{"workers", true, func(r Row) string { return fmt.Sprint(r.Workers) }},
		{"lock", false, func(r Row) string { return r.Lock }},
		{"chunks", false, func(r Row) string { return r.Chunks }},
		{"runs", true, func(r Row) string {
			if r.Failed > 0 {
				return fmt.Sprintf("%d/%d", r.N, r.N+r.Failed)
			}
			return fmt.Sprint(r.N)
		}},
		{"wall s", true, measured(func(r Row) string { return fmt.Sprintf("%.3f", r.Wall.Seconds()) })},
		{"min s", true, measured(func(r Row) string { return fmt.Sprintf("%.3f", r.MinWall.Seconds()) })},
		{"max s", true, measured(func(r Row) string { return fmt.Sprintf("%.3f", r.MaxWall.Seconds()) })},
		{"MB/s", true, measured(func(r Row) string { return fmt.Sprintf("%.1f", r.MBps) })},
		{"peak RSS", true, measured(func(r Row) string { return formatBytes(r.PeakRSS) })},
		{"speedup", true, func(r Row) string {
			if r.Speedup == 0 {
				return dash
			}
			return fmt.Sprintf("%.2fx", r.Speedup)
		}},
		{"efficiency", true, func(r Row) string {
			if r.Efficiency == 0 {
				return dash
			}
			return fmt.Sprintf("%.0f%%", 100*r.Efficiency)
		}},
		{"lock wait s", true, measured(func(r Row) string { return fmt.Sprintf("%.3f", r.LockWait.Seconds()) })},
		{"copied", true, measured(func(r Row) string { return formatBytes(r.BytesCopied) })},
	}
	for _, r := range rows {
		if r.Err != "" {
			cols = append(cols, column{"error", false, func(r Row) string { return r.Err }})
			break
		}
	}
	return cols
}

// formatBytes formats a byte count with a binary unit: "0 B", "512 B",
// "1.5 KiB", "2.0 GiB".
func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n)/unit, 0
	for v >= unit && i < 4 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTP"[i])
}

// cells renders rows as a header line and one line of cells per row, with
// each column's width.
func cells(cols []column, rows []Row, clean func(string) string) (head []string, body [][]string, width []int) {
	width = make([]int, len(cols))
	head = make([]string, len(cols))
	for j, c := range cols {
		head[j] = c.head
		width[j] = utf8.RuneCountInString(c.head)
	}
	for _, r := range rows {
		line := make([]string, len(cols))
		for j, c := range cols {
			line[j] = clean(c.cell(r))
			width[j] = max(width[j], utf8.RuneCountInString(line[j]))
		}
		body = append(body, line)
	}
	return head, body, width
}

// pad aligns s in a field of w characters.
func pad(s string, w int, right bool) string {
	fill := strings.Repeat(" ", max(w-utf8.RuneCountInString(s), 0))
	if right {
		return fill + s
	}
	return s + fill
}

// oneLine replaces line breaks, which would break a table row.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// WriteTable writes rows as an aligned plain-text table with a header line,
// two spaces between columns, numbers right-aligned, and "-" for what a row
// lacks (no successful run, no speedup). Durations are in seconds and sizes
// in binary units. An error column follows when some point failed.
func WriteTable(w io.Writer, rows []Row) error {
	cols := columns(rows)
	head, body, width := cells(cols, rows, oneLine)
	var b strings.Builder
	line := func(cs []string) {
		var l strings.Builder
		for j, c := range cs {
			if j > 0 {
				l.WriteString("  ")
			}
			l.WriteString(pad(c, width[j], cols[j].right))
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteByte('\n')
	}
	line(head)
	for _, cs := range body {
		line(cs)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("lab: writing table: %w", err)
	}
	return nil
}

// WriteMarkdown writes rows as a GitHub-flavoured markdown table with the
// same columns as [WriteTable], padded so that it also reads aligned as
// plain text. Numbers are right-aligned ("---:"); "|" in error messages is
// escaped.
func WriteMarkdown(w io.Writer, rows []Row) error {
	cols := columns(rows)
	escape := func(s string) string { return strings.ReplaceAll(oneLine(s), "|", `\|`) }
	head, body, width := cells(cols, rows, escape)
	for j := range width {
		width[j] = max(width[j], 3) // room for "---:"
	}
	var b strings.Builder
	line := func(cs []string) {
		b.WriteString("|")
		for j, c := range cs {
			b.WriteString(" " + pad(c, width[j], cols[j].right) + " |")
		}
		b.WriteByte('\n')
	}
	line(head)
	b.WriteString("|")
	for j, c := range cols {
		if c.right {
			b.WriteString(" " + strings.Repeat("-", width[j]-1) + ": |")
		} else {
			b.WriteString(" :" + strings.Repeat("-", width[j]-1) + " |")
		}
	}
	b.WriteByte('\n')
	for _, cs := range body {
		line(cs)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("lab: writing markdown: %w", err)
	}
	return nil
}
