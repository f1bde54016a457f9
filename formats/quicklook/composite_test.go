package quicklook_test

import (
	"context"
	"image"
	"image/color"
	"math"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/quicklook"
)

// writeComposite writes three channels through a Composite, each in its own
// region layout, and commits.
func writeComposite(t *testing.T, sp formats.CreateSpec, ch [3][]float64, dt chunk.DType) *quicklook.Composite {
	t.Helper()
	c, err := quicklook.NewComposite(sp)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		write := func(ctx context.Context, a *chunk.Array) error { return c.WriteChannel(ctx, i, a) }
		feed(t, write, ch[i], sp.Shape, regions(sp.Shape, 3+i, 5-i, uint64(i)), dt, 3)
	}
	if err := c.Commit(); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCompositePixels(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	s := chunk.Shape{Rows: 2, Cols: 3}
	// The brief's day-cloud-phase-like settings.
	opts := map[string]string{"rgb-range": "273:333,0:1,0:0.75", "rgb-gamma": "0.4,1,1"}
	ch := [3][]float64{
		{273, 303, 333, 400, 288, 300},
		{0, 0.5, 1, -1, nan, 0.25},
		{0, 0.375, 0.75, 2, 0.1, 0.3},
	}
	sp := spec(t, s, opts)
	c := writeComposite(t, sp, ch, chunk.Float64)
	img := decode(t, sp.Path)
	wantBounds(t, img, 3, 2)
	red := func(v float64) uint8 { return quicklook.Level(math.Pow((v-273)/60, 1/0.4)) }
	want := []color.NRGBA{
		{0, 0, 0, 255},
		{red(303), 128, 128, 255}, // 0.5**2.5 = 0.177 -> 45
		{255, 255, 255, 255},
		{255, 0, 255, 255}, // clipped on both sides
		{},                 // NaN green: transparent
		{red(300), 64, 102, 255},
	}
	eachPixel(t, img, func(x, y int, c color.NRGBA) bool { return c == want[y*s.Cols+x] })
	if got := red(303); got != 45 {
		t.Errorf("gamma 0.4 on 0.5 gives level %d, want 45 (satpy: 0.5**(1/0.4))", got)
	}
	if st := c.Stretches(); st[0] != (quicklook.Stretch{Lo: 273, Hi: 333, Gamma: 0.4}) {
		t.Errorf("red stretch %+v", st[0])
	}
}

func TestCompositeDownsampledMatchesOracle(t *testing.T) {
	t.Parallel()
	s := chunk.Shape{Rows: 120, Cols: 90}
	base := smoothField(s)
	var ch [3][]float64
	for i := range 3 {
		ch[i] = make([]float64, s.Len())
		for k, v := range base {
			ch[i][k] = v * float64(i+1)
		}
	}
	for k := 0; k < s.Len(); k += 97 {
		ch[k%3][k] = math.NaN()
	}
	ch[1][0], ch[1][1], ch[1][90], ch[1][91] = math.NaN(), math.NaN(), math.NaN(), math.NaN() // a whole block
	sp := spec(t, s, map[string]string{"max-size": "60", "stretch": "minmax", "rgb-gamma": "1,2,0.5"})
	c := writeComposite(t, sp, ch, chunk.Float32)
	if c.Factor() != 2 || c.OutShape() != (chunk.Shape{Rows: 60, Cols: 45}) {
		t.Fatalf("factor %d, out %v", c.Factor(), c.OutShape())
	}
	var means [3][]float64
	var st [3]quicklook.Stretch
	gammas := [3]float64{1, 2, 0.5}
	for i := range 3 {
		f32 := make([]float64, len(ch[i]))
		for k, v := range ch[i] {
			f32[k] = float64(float32(v))
		}
		means[i], _ = refMeans(f32, s, 2)
		lo, hi, _ := quicklook.Limits{Kind: quicklook.ByMinMax}.Resolve(means[i])
		st[i] = quicklook.Stretch{Lo: lo, Hi: hi, Gamma: gammas[i]}
	}
	got := decode(t, sp.Path)
	want := quicklook.RenderRGB(means, c.OutShape(), st)
	sameImage(t, got, want)
	if a := color.NRGBAModel.Convert(got.At(0, 0)).(color.NRGBA).A; a != 0 {
		t.Errorf("block missing in green has alpha %d, want 0", a)
	}
	if _, ok := got.(*image.NRGBA); !ok {
		t.Errorf("decoded %T, want *image.NRGBA", got)
	}
}

func TestCompositeErrors(t *testing.T) {
	t.Parallel()
	s := chunk.Shape{Rows: 4, Cols: 4}
	sp := spec(t, s, nil)
	c, err := quicklook.NewComposite(sp)
	if err != nil {
		t.Fatal(err)
	}
	a := chunk.NewArray(chunk.Float32, s.Bounds())
	for _, ch := range []int{-1, 3} {
		checkErr(t, c.WriteChannel(context.Background(), ch, a), "channel")
	}
	if err := c.Abort(); err != nil {
		t.Fatal(err)
	}
	if names := dirEntries(t, filepath.Dir(sp.Path)); len(names) != 0 {
		t.Errorf("after Abort the directory holds %v", names)
	}
	if err := c.WriteChannel(context.Background(), 0, a); err == nil {
		t.Error("WriteChannel after Abort succeeded")
	}
	dir := t.TempDir()
	_, err = quicklook.NewComposite(formats.CreateSpec{Path: filepath.Join(dir, "x.png"), Shape: s, Options: map[string]string{"rgb-gamma": "1,1"}})
	checkErr(t, err, "rgb-gamma")
	_, err = quicklook.NewCompositeWith(formats.CreateSpec{Path: filepath.Join(dir, "x.png"), Shape: s},
		quicklook.RGBOptions{Gamma: [3]float64{1, -1, 1}})
	checkErr(t, err, "channel 1")
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Errorf("failed constructors left %v", names)
	}
}

func TestCompositeAllNaN(t *testing.T) {
	t.Parallel()
	s := chunk.Shape{Rows: 5, Cols: 7}
	nans := make([]float64, s.Len())
	for i := range nans {
		nans[i] = math.NaN()
	}
	sp := spec(t, s, nil)
	writeComposite(t, sp, [3][]float64{smoothField(s), nans, smoothField(s)}, chunk.Float32)
	eachPixel(t, decode(t, sp.Path), func(x, y int, c color.NRGBA) bool { return c.A == 0 })
}
