package hdf5

import (
	"bytes"
	"fmt"
	"math/rand"
	"path/filepath"
	"sync"
	"testing"
)

// extract copies the hyperslab [start, start+count) out of a whole-array
// buffer (an independent, element-by-element reference implementation).
func extract(full []byte, shape, start, count []int, es int) []byte {
	n := 1
	for _, c := range count {
		n *= c
	}
	out := make([]byte, 0, n*es)
	if n == 0 {
		return out
	}
	idx := make([]int, len(count))
	for {
		lin := 0
		for i := range shape {
			lin = lin*shape[i] + start[i] + idx[i]
		}
		out = append(out, full[lin*es:(lin+1)*es]...)
		k := len(count) - 1
		for ; k >= 0; k-- {
			idx[k]++
			if idx[k] < count[k] {
				break
			}
			idx[k] = 0
		}
		if k < 0 {
			return out
		}
	}
}

// randomSlab returns a random non-empty hyperslab of shape.
func randomSlab(rng *rand.Rand, shape []int) (start, count []int) {
	start = make([]int, len(shape))
	count = make([]int, len(shape))
	for i, s := range shape {
		start[i] = rng.Intn(s)
		count[i] = 1 + rng.Intn(s-start[i])
	}
	return start, count
}

func checkRandomSlabs(t *testing.T, ds *Dataset, full []byte, rng *rand.Rand, n int) {
	t.Helper()
	for k := 0; k < n; k++ {
		start, count := randomSlab(rng, ds.Shape())
		want := extract(full, ds.Shape(), start, count, ds.ElemSize())
		got := make([]byte, len(want))
		if err := ds.ReadHyperslab(start, count, got); err != nil {
			t.Fatalf("%s start %v count %v: %v", ds.Path(), start, count, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s start %v count %v: data differs from the whole-variable read", ds.Path(), start, count)
		}
	}
}

// realRegionVars are real variables used for region tests (file relative
// to the real-data directory, variable path).
var realRegionVars = [][2]string{
	{"abi/OR_ABI-L1b-RadC-M6C16_G16_s20200040316182_e20200040318566_c20200040319074.nc", "Rad"},
	{"abi/OR_ABI-L1b-RadC-M6C16_G16_s20200040316182_e20200040318566_c20200040319074.nc", "DQF"},
	{"abi/OR_ABI-L2-FDCC-M6_G16_s20200040316182_e20200040318554_c20200040319252.nc", "Mask"},
	{"hdf5/2A-CS-151E24S154E30S.GPM.Ku.V7-20170308.20141206-S095002-E095137.004383.V05A.HDF5", "/NS/SLV/zFactorCorrected"},
	{"hdf5/2A-CS-151E24S154E30S.GPM.Ku.V7-20170308.20141206-S095002-E095137.004383.V05A.HDF5", "/NS/SLV/paramDSD"},
	{"netcdf/SS_VIIRS_NPP-NAVO-L2P-v3.0.nc", "sea_surface_temperature"},
	{"hdf5/SAFNWC_MSG3_CT___201304290415_BEL_________.h5", "CT_QUALITY"},
}

func TestRegionReadsReal(t *testing.T) {
	dir := realDataDir(t)
	rng := rand.New(rand.NewSource(1))
	for _, fv := range realRegionVars {
		f, err := Open(filepath.Join(dir, fv[0]))
		if err != nil {
			t.Fatal(err)
		}
		ds, err := f.Dataset(fv[1])
		if err != nil {
			t.Fatal(err)
		}
		full, err := ds.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		checkRandomSlabs(t, ds, full, rng, 25)
		f.Close()
	}
}

func TestRegionReadsFixtures(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for _, name := range []string{"v0_classic.h5", "v2_v108.h5", "v3_latest.h5"} {
		f := openFixture(t, name)
		for _, ds := range f.Datasets() {
			if ds.Rank() == 0 || ds.NumElements() == 0 || ds.Name() == "lzf" {
				continue
			}
			full, err := ds.ReadAll()
			if err != nil {
				t.Fatalf("%s %s: %v", name, ds.Path(), err)
			}
			checkRandomSlabs(t, ds, full, rng, 20)
		}
	}
}

func TestConcurrentReads(t *testing.T) {
	dir := realDataDir(t)
	path := filepath.Join(dir, realRegionVars[0][0])
	ref, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	fulls := map[string][]byte{}
	for _, v := range []string{"Rad", "DQF"} {
		ds, err := ref.Dataset(v)
		if err != nil {
			t.Fatal(err)
		}
		if fulls[v], err = ds.ReadAll(); err != nil {
			t.Fatal(err)
		}
	}
	// A fresh file, so the goroutines also race to load the chunk indexes.
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(100 + g)))
			for k := 0; k < 10; k++ {
				v := []string{"Rad", "DQF"}[rng.Intn(2)]
				ds, _ := f.Dataset(v)
				start, count := randomSlab(rng, ds.Shape())
				want := extract(fulls[v], ds.Shape(), start, count, ds.ElemSize())
				got := make([]byte, len(want))
				var err error
				if k%3 == 0 {
					err = ds.ReadHyperslabParallel(start, count, got, 3)
				} else {
					err = ds.ReadHyperslab(start, count, got)
				}
				if err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(got, want) {
					errs <- fmt.Errorf("goroutine %d: %s start %v count %v differs", g, v, start, count)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestHyperslabArgumentErrors(t *testing.T) {
	ds := mustDataset(t, openFixture(t, "v3_latest.h5"), "btree2")
	cases := []struct {
		start, count []int
		n            int
	}{
		{[]int{0}, []int{1}, 8},
		{[]int{0, 0}, []int{41, 1}, 41 * 8},
		{[]int{-1, 0}, []int{1, 1}, 8},
		{[]int{0, 0}, []int{2, 2}, 8},
	}
	for _, c := range cases {
		if err := ds.ReadHyperslab(c.start, c.count, make([]byte, c.n)); err == nil {
			t.Errorf("start %v count %v: no error", c.start, c.count)
		}
	}
	if err := ds.ReadHyperslab([]int{3, 3}, []int{0, 5}, nil); err != nil {
		t.Errorf("empty hyperslab: %v", err)
	}
}
