package hdf5

import (
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
)

type oracleDataset struct {
	Path    string  `json:"path"`
	Shape   []int   `json:"shape"`
	Dtype   string  `json:"dtype"`
	Count   int     `json:"count"`
	CRC32   uint32  `json:"crc32"`
	Sum     any     `json:"sum"`
	Min     any     `json:"min"`
	Max     any     `json:"max"`
	Samples [][]any `json:"samples"`
}

type oracleFile struct {
	File     string          `json:"file"`
	Size     int64           `json:"size"`
	Datasets []oracleDataset `json:"datasets"`
}

func loadOracle(t testing.TB) []oracleFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdataDir(), "oracle.json"))
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	var o struct {
		Files []oracleFile `json:"files"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatalf("oracle: %v", err)
	}
	return o.Files
}

// oracleNum converts a JSON number or "nan"/"inf" string to float64.
func oracleNum(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case string:
		f, _ := strconv.ParseFloat(x, 64)
		return f
	}
	return math.NaN()
}

// elemFloat returns element i of host-order data as float64.
func elemFloat(dt Datatype, b []byte, i int) float64 {
	es := dt.Size
	p := b[i*es : (i+1)*es]
	switch dt.Kind() {
	case reflect.Int8:
		return float64(int8(p[0]))
	case reflect.Uint8:
		return float64(p[0])
	case reflect.Int16:
		return float64(int16(binary.LittleEndian.Uint16(p)))
	case reflect.Uint16:
		return float64(binary.LittleEndian.Uint16(p))
	case reflect.Int32:
		return float64(int32(binary.LittleEndian.Uint32(p)))
	case reflect.Uint32:
		return float64(binary.LittleEndian.Uint32(p))
	case reflect.Int64:
		return float64(int64(binary.LittleEndian.Uint64(p)))
	case reflect.Uint64:
		return float64(binary.LittleEndian.Uint64(p))
	case reflect.Float32:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(p)))
	case reflect.Float64:
		return math.Float64frombits(binary.LittleEndian.Uint64(p))
	}
	return math.NaN()
}

func sameFloat(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}

// numpyDtype returns the numpy dtype string of a numeric datatype in host order.
func numpyDtype(dt Datatype) string {
	c := "i"
	switch {
	case dt.Class == ClassFloat:
		c = "f"
	case !dt.Signed:
		c = "u"
	}
	order := "<"
	if dt.Size == 1 {
		order = "|"
	}
	return order + c + strconv.Itoa(dt.Size)
}

// TestOracle checks that every numeric dataset of every real file reads
// with exactly the values h5py reads (CRC32 of the raw bytes, samples, sum,
// min and max).
func TestOracle(t *testing.T) {
	dir := realDataDir(t)
	files := loadOracle(t)
	if len(files) == 0 {
		t.Fatal("oracle lists no files")
	}
	for _, of := range files {
		of := of
		t.Run(filepath.Base(of.File), func(t *testing.T) {
			t.Parallel()
			f, err := Open(filepath.Join(dir, of.File))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			for _, od := range of.Datasets {
				ds, err := f.Dataset(od.Path)
				if err != nil {
					t.Errorf("%s: %v", od.Path, err)
					continue
				}
				checkOracleDataset(t, ds, od)
			}
		})
	}
}

func checkOracleDataset(t *testing.T, ds *Dataset, od oracleDataset) {
	t.Helper()
	if !reflect.DeepEqual(ds.Shape(), od.Shape) && !(len(od.Shape) == 0 && ds.Rank() == 0) {
		t.Errorf("%s: shape %v, oracle %v", od.Path, ds.Shape(), od.Shape)
		return
	}
	dt := ds.DType()
	if got := numpyDtype(dt); got != od.Dtype && !(od.Dtype[0] == '>' && got[1:] == od.Dtype[1:]) {
		t.Errorf("%s: dtype %s, oracle %s", od.Path, got, od.Dtype)
	}
	buf, err := ds.ReadAll()
	if err != nil {
		t.Errorf("%s: %v", od.Path, err)
		return
	}
	if got := crc32.ChecksumIEEE(buf); got != od.CRC32 {
		t.Errorf("%s: crc32 %#x, oracle %#x", od.Path, got, od.CRC32)
	}
	n := len(buf) / dt.Size
	if n != od.Count {
		t.Errorf("%s: %d elements, oracle %d", od.Path, n, od.Count)
		return
	}
	for _, s := range od.Samples {
		i := int(oracleNum(s[0]))
		if got, want := elemFloat(dt, buf, i), oracleNum(s[1]); !sameFloat(got, want) {
			t.Errorf("%s: element %d = %v, oracle %v", od.Path, i, got, want)
		}
	}
	if n == 0 {
		return
	}
	sum, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
	hasNaN := false
	for i := 0; i < n; i++ {
		v := elemFloat(dt, buf, i)
		if math.IsNaN(v) {
			hasNaN = true
		}
		sum += v
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	if hasNaN {
		return
	}
	if want := oracleNum(od.Min); !sameFloat(lo, want) {
		t.Errorf("%s: min %v, oracle %v", od.Path, lo, want)
	}
	if want := oracleNum(od.Max); !sameFloat(hi, want) {
		t.Errorf("%s: max %v, oracle %v", od.Path, hi, want)
	}
	if want := oracleNum(od.Sum); math.Abs(sum-want) > 1e-9*math.Max(1, math.Abs(want))*float64(n) {
		t.Errorf("%s: sum %v, oracle %v", od.Path, sum, want)
	}
}
