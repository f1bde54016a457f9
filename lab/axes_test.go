package lab_test

import (
	"reflect"
	"strings"
	"testing"

	"chunkpipe/lab"
)

func TestParseAxes(t *testing.T) {
	tests := []struct {
		name                   string
		workers, locks, chunks string
		repeat                 int
		want                   lab.Axes
		wantErr                string
	}{
		{
			name: "typical", workers: "1,2,4", locks: "free,gil,processes", chunks: "256,512,1024,auto", repeat: 3,
			want: lab.Axes{Workers: []int{1, 2, 4}, Locks: []string{"free", "gil", "processes"},
				Chunks: []string{"256", "512", "1024", "auto"}, Repeat: 3},
		},
		{
			name: "spaces and case", workers: " 8 , 1", locks: "GIL, Free", chunks: "512x1024", repeat: 1,
			want: lab.Axes{Workers: []int{8, 1}, Locks: []string{"gil", "free"}, Chunks: []string{"512x1024"}, Repeat: 1},
		},
		{name: "zero workers", workers: "0,2", locks: "free", chunks: "auto", repeat: 1, wantErr: `lab: workers "0" is not a positive integer`},
		{name: "negative workers", workers: "-1", locks: "free", chunks: "auto", repeat: 1, wantErr: `lab: workers "-1" is not`},
		{name: "word for workers", workers: "many", locks: "free", chunks: "auto", repeat: 1, wantErr: `lab: workers "many" is not`},
		{name: "no workers", workers: " ", locks: "free", chunks: "auto", repeat: 1, wantErr: "lab: no workers given"},
		{name: "unknown lock", workers: "1", locks: "free,mutex", chunks: "auto", repeat: 1, wantErr: `lab: unknown lock mode "mutex"`},
		{name: "no locks", workers: "1", locks: "", chunks: "auto", repeat: 1, wantErr: "lab: no locks given"},
		{name: "empty chunk item", workers: "1", locks: "gil", chunks: "256,,512", repeat: 1, wantErr: "lab: empty item in chunks list"},
		{name: "trailing comma", workers: "1,2,", locks: "gil", chunks: "256", repeat: 1, wantErr: "lab: empty item in workers list"},
		{name: "repeated lock", workers: "1", locks: "gil,free,GIL", chunks: "256", repeat: 1, wantErr: `lab: locks "gil" listed twice`},
		{name: "repeated workers", workers: "2,2", locks: "gil", chunks: "256", repeat: 1, wantErr: `lab: workers "2" listed twice`},
		{name: "repeat 0", workers: "1", locks: "free", chunks: "auto", repeat: 0, wantErr: "lab: repeat 0: want at least 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := lab.ParseAxes(tc.workers, tc.locks, tc.chunks, tc.repeat)
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want prefix %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestPoints(t *testing.T) {
	a := lab.Axes{Workers: []int{1, 4}, Locks: []string{"free", "gil"}, Chunks: []string{"256", "auto"}}
	want := []string{
		"lock=free/workers=1/chunks=256", "lock=free/workers=4/chunks=256",
		"lock=free/workers=1/chunks=auto", "lock=free/workers=4/chunks=auto",
		"lock=gil/workers=1/chunks=256", "lock=gil/workers=4/chunks=256",
		"lock=gil/workers=1/chunks=auto", "lock=gil/workers=4/chunks=auto",
	}
	var got []string
	for _, p := range a.Points() {
		got = append(got, p.String())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("points:\n got %v\nwant %v", got, want)
	}
}
