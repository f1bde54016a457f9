package bandmath

import (
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strconv"

	"chunkpipe/formats"
)

// abiFileBand matches the mode-and-channel field of an ABI file name, as
// in OR_ABI-L1b-RadM1-M6C07_G17_s2019...nc: "-M6C07_" or "_M6C07_".
var abiFileBand = regexp.MustCompile(`[-_]M[0-9]C([0-9]{2})_`)

// BandName returns the name an ABI band goes by in expressions, "c07" for
// band 7: from the band_id scalar variable in scalars (what a
// formats.ScalarReader returns), else from the file name's mode-channel
// field (_M6C07_ or -M6C07_) in info.Path. It reports false when neither
// gives a band in 1..16.
func BandName(info formats.Info, scalars formats.Attrs) (string, bool) {
	if v, ok := scalars.Float("band_id"); ok {
		if n, ok := abiBand(v); ok {
			return fmt.Sprintf("c%02d", n), true
		}
	}
	if m := abiFileBand.FindStringSubmatch(filepath.Base(info.Path)); m != nil {
		n, _ := strconv.Atoi(m[1])
		if n, ok := abiBand(float64(n)); ok {
			return fmt.Sprintf("c%02d", n), true
		}
	}
	return "", false
}

// abiBand checks that v is an ABI band number.
func abiBand(v float64) (int, bool) {
	if v != math.Trunc(v) || v < 1 || v > 16 {
		return 0, false
	}
	return int(v), true
}
