//go:build !(goexperiment.simd && amd64)

package kernels

// Without GOEXPERIMENT=simd on amd64 there are no vector paths: each hook
// handles no element and the portable loops do all the work.

func simdName() string { return "portable" }

func calibrateF32Vec(out, in []float32, scale, offset float32, dom *calDomain32) int {
	return 0
}

func btVec(out, in []float32, fk1, fk2, bc1, bc2 float32) int { return 0 }

func addRowVec(sum []float64, cnt []int32, in []float32, sign float64, dc int32) int { return 0 }

func windowMeansVec(out []float32, sum []float64, cnt []int32, n int) int { return 0 }

func blockMeansVec(out, in []float32, stride, n int) int { return 0 }

func statsAddVec(s *statsPartial, in []float32) int { return 0 }
