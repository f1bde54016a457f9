// Package all registers every file format chunkpipe knows; programs import
// it for its side effects: import _ "chunkpipe/formats/all".
package all

import (
	_ "chunkpipe/formats/npy"       // .npy
	_ "chunkpipe/formats/quicklook" // .png quicklooks
	_ "chunkpipe/formats/raw"       // headerless binary
)
