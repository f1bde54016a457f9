package lab_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"testing"
	"time"

	"chunkpipe/lab"
)

func TestWriteCSVParsesBack(t *testing.T) {
	rows := append(lab.Summarize(benchSamples()), tableRows()...)
	var buf bytes.Buffer
	if err := lab.WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	if !reflect.DeepEqual(recs[0], lab.CSVHeader) {
		t.Errorf("header %v, want %v", recs[0], lab.CSVHeader)
	}
	if len(recs) != len(rows)+1 {
		t.Fatalf("%d records, want %d", len(recs), len(rows)+1)
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%q is not a number", s)
		}
		return v
	}
	sec := func(s string) time.Duration { return time.Duration(math.Round(num(s) * 1e9)) }
	for i, r := range rows {
		rec := recs[i+1]
		got := lab.Row{
			Point: lab.Point{Workers: int(num(rec[0])), Lock: rec[1], Chunks: rec[2]},
			N:     int(num(rec[3])), Failed: int(num(rec[4])),
			Wall: sec(rec[5]), MinWall: sec(rec[6]), MaxWall: sec(rec[7]),
			MBps: num(rec[8]), PeakRSS: int64(num(rec[9])),
			LockWait: sec(rec[10]), BytesCopied: int64(num(rec[11])),
			Speedup: num(rec[12]), Efficiency: num(rec[13]), Err: rec[14],
		}
		if !reflect.DeepEqual(got, r) {
			t.Errorf("record %d reads back as\n%+v\nwant\n%+v", i+1, got, r)
		}
	}
}

func TestWriteJSONParsesBack(t *testing.T) {
	tests := []struct {
		name    string
		samples []lab.Sample
	}{
		{"sweep", benchSamples()},
		{"with failures", []lab.Sample{smp(1, "free", "256", 5), failed(2, "gil", "huge", "too big")}},
		{"empty", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows := lab.Summarize(tc.samples)
			var buf bytes.Buffer
			if err := lab.WriteJSON(&buf, rows, tc.samples); err != nil {
				t.Fatal(err)
			}
			var generic map[string][]map[string]any
			if err := json.Unmarshal(buf.Bytes(), &generic); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			if generic["rows"] == nil || generic["samples"] == nil {
				t.Fatalf("rows or samples missing or null:\n%s", buf.String())
			}
			for _, s := range generic["samples"] {
				for _, f := range []string{"workers", "lock", "chunks", "wall_ns", "mbps", "peak_rss", "lock_wait_ns", "bytes_copied"} {
					if _, ok := s[f]; !ok {
						t.Errorf("sample lacks %q: %v", f, s)
					}
				}
			}
			var back lab.Report
			if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
				t.Fatal(err)
			}
			if len(back.Rows) != len(rows) || len(back.Samples) != len(tc.samples) {
				t.Fatalf("%d rows, %d samples back; want %d, %d", len(back.Rows), len(back.Samples), len(rows), len(tc.samples))
			}
			if len(rows) > 0 && !reflect.DeepEqual(back.Rows, rows) {
				t.Errorf("rows differ after a round trip")
			}
			if len(tc.samples) > 0 && !reflect.DeepEqual(back.Samples, tc.samples) {
				t.Errorf("samples differ after a round trip")
			}
		})
	}
}

func TestWriteJSONError(t *testing.T) {
	s := smp(1, "free", "256", 5)
	s.MBps = math.NaN()
	err := lab.WriteJSON(&bytes.Buffer{}, nil, []lab.Sample{s})
	if err == nil || err.Error()[:17] != "lab: writing json" {
		t.Errorf("err = %v, want a lab: writing json error for NaN", err)
	}
}
