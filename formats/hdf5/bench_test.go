package hdf5

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// benchDecode reads the whole variable per iteration, split into disjoint
// row bands (aligned to chunk rows) read by 1 and 2 goroutines.
func benchDecode(b *testing.B, path, variable string) {
	f, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	ds, err := f.Dataset(variable)
	if err != nil {
		b.Fatal(err)
	}
	shape := ds.Shape()
	if len(shape) != 2 {
		b.Fatalf("%s: want a 2-D variable, got shape %v", variable, shape)
	}
	rowStep := 1
	if cs := ds.ChunkShape(); cs != nil {
		rowStep = cs[0]
	}
	total := int64(ds.NumElements() * ds.ElemSize())
	for _, g := range []int{1, 2} {
		b.Run(fmt.Sprintf("goroutines=%d", g), func(b *testing.B) {
			// Disjoint bands of whole chunk rows.
			chunkRows := (shape[0] + rowStep - 1) / rowStep
			var bands [][2]int
			for i := 0; i < g; i++ {
				r0 := chunkRows * i / g * rowStep
				r1 := min(shape[0], chunkRows*(i+1)/g*rowStep)
				bands = append(bands, [2]int{r0, r1})
			}
			bufs := make([][]byte, g)
			for i, bd := range bands {
				bufs[i] = make([]byte, (bd[1]-bd[0])*shape[1]*ds.ElemSize())
			}
			b.SetBytes(total)
			b.ReportAllocs()
			b.ResetTimer()
			for it := 0; it < b.N; it++ {
				var wg sync.WaitGroup
				errs := make([]error, g)
				for i, bd := range bands {
					wg.Add(1)
					go func(i int, bd [2]int) {
						defer wg.Done()
						errs[i] = ds.ReadHyperslab([]int{bd[0], 0}, []int{bd[1] - bd[0], shape[1]}, bufs[i])
					}(i, bd)
				}
				wg.Wait()
				for _, err := range errs {
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkDecodeABI decodes a 5424x5424 int16 variable stored the ABI way
// (250x250 chunks, deflate level 1). Generate the file with
// tools/oracle/make_abi_like.py and point CHUNKPIPE_ABI_BENCH_FILE at it
// (CHUNKPIPE_ABI_BENCH_VAR selects the variable, default "Rad"). Compare
// with tools/oracle/bench_netcdf4.py on the same file.
func BenchmarkDecodeABI(b *testing.B) {
	path := os.Getenv("CHUNKPIPE_ABI_BENCH_FILE")
	if path == "" {
		b.Skip("CHUNKPIPE_ABI_BENCH_FILE not set: create a file with tools/oracle/make_abi_like.py")
	}
	variable := os.Getenv("CHUNKPIPE_ABI_BENCH_VAR")
	if variable == "" {
		variable = "Rad"
	}
	benchDecode(b, path, variable)
}

// BenchmarkDecodeRealABI decodes Rad of the real CONUS band 16 file
// (1500x2500 int16, 250x250 chunks, deflate level 1).
func BenchmarkDecodeRealABI(b *testing.B) {
	dir := realDataDir(b)
	benchDecode(b, filepath.Join(dir, realRegionVars[0][0]), "Rad")
}
