package geotiff_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
)

// realOracle is testdata/geotiff/real_oracle.json, recorded by
// tools/geotiff/real_oracle.py with GDAL.
type realOracle map[string]struct {
	Rows, Cols   int
	DType        string
	Block        []int
	NoData       *float64
	Scale        *float64
	Geotransform []float64
	Bands        []struct {
		Checksum      int
		Sum, Min, Max float64
		NaNCount      int `json:"nan_count"`
	}
	Overviews []struct {
		Rows, Cols, Checksum int
	}
}

func loadOracle(t *testing.T) realOracle {
	b, err := os.ReadFile(filepath.Join(fixtureDir, "real_oracle.json"))
	if err != nil {
		t.Fatal(err)
	}
	var o realOracle
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// TestRealFiles reads every real GeoTIFF whole and compares GDAL's checksum
// and float64 sum/min/max per band, plus every overview's checksum.
func TestRealFiles(t *testing.T) {
	dir := realDataDir(t)
	oracle := loadOracle(t)
	if len(oracle) != 5 {
		t.Fatalf("oracle lists %d files, want 5", len(oracle))
	}
	for name, want := range oracle {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, name)
			for b, wb := range want.Bands {
				r, err := geotiff.OpenFile(path, fmt.Sprintf("band:%d", b+1))
				if err != nil {
					t.Fatal(err)
				}
				info := r.Info()
				if info.Shape != (chunk.Shape{Rows: want.Rows, Cols: want.Cols}) || info.DType.String() != want.DType ||
					info.Storage != (chunk.Shape{Rows: want.Block[0], Cols: want.Block[1]}) {
					t.Errorf("info shape %v dtype %v storage %v; want %dx%d %s %v", info.Shape, info.DType, info.Storage, want.Rows, want.Cols, want.DType, want.Block)
				}
				if want.NoData != nil {
					if v, ok := info.Attrs.Float("_FillValue"); !ok || v != *want.NoData {
						t.Errorf("_FillValue %v, %v; want %v", v, ok, *want.NoData)
					}
				} else if _, ok := info.Attrs.Get("_FillValue"); ok {
					t.Errorf("unexpected _FillValue")
				}
				if want.Scale != nil {
					if v, ok := info.Attrs.Float("scale_factor"); !ok || v != *want.Scale {
						t.Errorf("scale_factor %v, %v; want %v", v, ok, *want.Scale)
					}
				}
				if len(want.Geotransform) == 6 {
					gt, _ := info.Geo.(*geotiff.Georef).GeoTransform()
					for i := range gt {
						if math.Abs(gt[i]-want.Geotransform[i]) > 1e-9*math.Max(1, math.Abs(want.Geotransform[i])) {
							t.Errorf("geotransform %v, want %v", gt, want.Geotransform)
							break
						}
					}
				}
				a := readAll(t, r)
				if got := gdalChecksum(a); got != wb.Checksum {
					t.Errorf("band %d checksum %d, want %d", b+1, got, wb.Checksum)
				}
				var sum float64
				lo, hi, nans := math.Inf(1), math.Inf(-1), 0
				for i := 0; i < a.Rect.Len(); i++ {
					v := valueAt(a, i)
					if math.IsNaN(v) {
						nans++
						continue
					}
					sum += v
					lo, hi = min(lo, v), max(hi, v)
				}
				if lo != wb.Min || hi != wb.Max || nans != wb.NaNCount || math.Abs(sum-wb.Sum) > 1e-9*math.Abs(wb.Sum) {
					t.Errorf("band %d sum/min/max/nan %v %v %v %d, want %v %v %v %d", b+1, sum, lo, hi, nans, wb.Sum, wb.Min, wb.Max, wb.NaNCount)
				}
				r.Close()
			}
			for k, wo := range want.Overviews {
				r, err := geotiff.OpenFile(path, fmt.Sprintf("overview:%d", k+1))
				if err != nil {
					t.Fatal(err)
				}
				a := readAll(t, r)
				if a.Rect.Shape() != (chunk.Shape{Rows: wo.Rows, Cols: wo.Cols}) {
					t.Errorf("overview %d shape %v, want %dx%d", k+1, a.Rect.Shape(), wo.Rows, wo.Cols)
				}
				if got := gdalChecksum(a); got != wo.Checksum {
					t.Errorf("overview %d checksum %d, want %d", k+1, got, wo.Checksum)
				}
				r.Close()
			}
			r, err := geotiff.OpenFile(path, "")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var sb strings.Builder
			if err := r.Describe(&sb, formats.DescribeOptions{}); err != nil || !strings.Contains(sb.String(), "main image") {
				t.Errorf("Describe: %v\n%s", err, sb.String())
			}
		})
	}
}

// TestRealRegionReads compares tile-straddling region reads of the largest
// real file with its whole read.
func TestRealRegionReads(t *testing.T) {
	dir := realDataDir(t)
	r, err := geotiff.OpenFile(filepath.Join(dir, "S1A_IW_GRDH_1SDV_20180716T004042_20180716T004107_022812_02792A_FD5B_iw-vv.tiff"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	whole := readAll(t, r)
	for _, reg := range []chunk.Region{
		chunk.Rect(0, 0, 1, 1), chunk.Rect(250, 250, 262, 262), chunk.Rect(700, 1000, 837, 1280),
		chunk.Rect(100, 0, 612, 1280), chunk.Rect(836, 1279, 837, 1280),
	} {
		dst := chunk.NewArray(whole.DType, reg)
		if err := r.ReadRegion(context.Background(), reg, dst); err != nil {
			t.Fatal(err)
		}
		if err := sameArrays(dst, whole); err != nil {
			t.Errorf("region %v: %v", reg, err)
		}
	}
}
