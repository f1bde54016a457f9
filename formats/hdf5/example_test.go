package hdf5_test

import (
	"encoding/binary"
	"fmt"
	"path/filepath"

	"chunkpipe/formats/hdf5"
)

// Example opens a file, inspects a chunked variable and reads a region.
func Example() {
	f, err := hdf5.Open(filepath.Join("..", "..", "testdata", "hdf5", "v3_latest.h5"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	ds, err := f.Dataset("ext_array")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ds.Path(), ds.Shape(), ds.DType(), ds.ChunkShape(), ds.ChunkIndex())
	buf := make([]byte, 2*3*ds.ElemSize())
	if err := ds.ReadHyperslab([]int{10, 2}, []int{2, 3}, buf); err != nil {
		fmt.Println(err)
		return
	}
	for i := 0; i < len(buf); i += 2 {
		fmt.Print(int16(binary.LittleEndian.Uint16(buf[i:])), " ")
	}
	fmt.Println()
	// Output:
	// /ext_array [300 6] int16 (little-endian) [1 6] extensible array
	// 59 64 69 89 94 99
}
