package lab

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// CSVHeader is the header line [WriteCSV] writes, one name per column.
var CSVHeader = []string{
	"workers", "lock", "chunks", "n", "failed",
	"wall_s", "min_wall_s", "max_wall_s", "mbps", "peak_rss_bytes",
	"lock_wait_s", "bytes_copied", "speedup", "efficiency", "error",
}

// WriteCSV writes rows (the summaries, not the raw samples; [WriteJSON]
// carries those) as CSV with the [CSVHeader] columns, one line per row in
// order. Times are in seconds, sizes in bytes, and numbers are written
// exactly as Go formats them in the shortest form that parses back to the
// same float64, so the file reads back into the same rows (times to the
// nanosecond).
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("lab: writing csv: %w", err)
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	sec := func(d time.Duration) string { return f(d.Seconds()) }
	for _, r := range rows {
		rec := []string{
			strconv.Itoa(r.Workers), r.Lock, r.Chunks, strconv.Itoa(r.N), strconv.Itoa(r.Failed),
			sec(r.Wall), sec(r.MinWall), sec(r.MaxWall), f(r.MBps), strconv.FormatInt(r.PeakRSS, 10),
			sec(r.LockWait), strconv.FormatInt(r.BytesCopied, 10), f(r.Speedup), f(r.Efficiency), r.Err,
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("lab: writing csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("lab: writing csv: %w", err)
	}
	return nil
}
