package lab_test

import (
	"context"
	"flag"
	"math/rand/v2"
	"time"

	"chunkpipe/lab"
)

var pictures = flag.String("pictures", "", "also write the sample charts to this directory")

// benchSamples runs a sweep over a made-up machine: free scales with
// workers until memory bandwidth runs out, the gil does not scale, and
// processes scale but pay for copying; 512 is the best chunk size, 256 pays
// per-chunk overhead and 1024 and auto leave workers idle at the end. Noise
// is seeded.
func benchSamples() []lab.Sample {
	axes, err := lab.ParseAxes("1,2,4,8", "free,gil,processes", "256,512,1024,auto", 3)
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	chunkCost := map[string]float64{"256": 1.25, "512": 1, "1024": 1.1, "auto": 1.2}
	run := func(ctx context.Context, p lab.Point) (lab.Sample, error) {
		w := float64(p.Workers)
		var speed float64
		switch p.Lock {
		case lab.LockFree:
			speed = w / (1 + 0.05*(w-1))
		case lab.LockGIL:
			speed = 1 / (1 + 0.02*(w-1))
		case lab.LockProcesses:
			speed = w / (1 + 0.15*(w-1))
		}
		sec := 2 * chunkCost[p.Chunks] / speed * (1 + 0.02*rng.Float64())
		s := lab.Sample{
			Wall:    time.Duration(sec * float64(time.Second)),
			MBps:    800 / sec,
			PeakRSS: int64(200+50*w) << 20,
		}
		if p.Lock == lab.LockGIL {
			s.LockWait = time.Duration((w - 1) * sec * float64(time.Second))
		}
		if p.Lock == lab.LockProcesses {
			s.BytesCopied = 1600 << 20
		}
		return s, nil
	}
	samples, err := lab.Sweep(context.Background(), axes, run, nil)
	if err != nil {
		panic(err)
	}
	return samples
}
