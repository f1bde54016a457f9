package inflate

import (
	"bytes"
	stdflate "compress/flate"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	kpflate "github.com/klauspost/compress/flate"
)

// samples are inputs of the kinds the decoder meets: shuffled 12-bit
// counts (the ABI radiance chunks), text-like data, runs, noise.
func samples() map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	s := map[string][]byte{"empty": {}, "one byte": {42}}
	counts := make([]byte, 2*250*250)
	n := len(counts) / 2
	v := 2000.0
	for i := 0; i < n; i++ {
		v += rng.NormFloat64() * 20
		c := uint16(max(0, min(4095, int(v))))
		counts[i], counts[n+i] = byte(c), byte(c>>8) // shuffled: low bytes, then high
	}
	s["shuffled counts"] = counts
	var text bytes.Buffer
	words := []string{"radiance", "brightness", "temperature", "granule", "chunk", "the", "of", "band"}
	for text.Len() < 300000 {
		fmt.Fprintf(&text, "%s %d ", words[rng.IntN(len(words))], rng.IntN(1000))
	}
	s["text"] = text.Bytes()
	s["zeros"] = make([]byte, 100000)
	noise := make([]byte, 70000)
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	s["noise"] = noise
	period := make([]byte, 50000)
	for i := range period {
		period[i] = byte(i % 7)
	}
	s["period 7"] = period
	return s
}

type compressor struct {
	name string
	enc  func(w io.Writer) (io.WriteCloser, error)
}

func compressors() []compressor {
	var cs []compressor
	for _, l := range []int{stdflate.HuffmanOnly, stdflate.NoCompression, stdflate.BestSpeed, 5, stdflate.BestCompression} {
		cs = append(cs, compressor{fmt.Sprintf("compress/flate level %d", l), func(w io.Writer) (io.WriteCloser, error) { return stdflate.NewWriter(w, l) }})
	}
	for _, l := range []int{1, 4, 9} {
		cs = append(cs, compressor{fmt.Sprintf("klauspost level %d", l), func(w io.Writer) (io.WriteCloser, error) { return kpflate.NewWriter(w, l) }})
	}
	return cs
}

func compress(t *testing.T, c compressor, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := c.enc(&b)
	if err != nil {
		t.Fatal(err)
	}
	// Several writes with flushes make stored, fixed and dynamic blocks.
	for len(data) > 0 {
		k := min(len(data), 40000)
		if _, err := w.Write(data[:k]); err != nil {
			t.Fatal(err)
		}
		data = data[k:]
		if len(data) > 0 && len(data)%3 == 0 {
			if f, ok := w.(interface{ Flush() error }); ok {
				f.Flush()
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Every sample, compressed by compress/flate and klauspost/compress at
// several levels, decodes to itself, and consumed stops where the stream
// does (a trailer after it is left alone).
func TestDecodeRoundTrip(t *testing.T) {
	for name, data := range samples() {
		for _, c := range compressors() {
			z := compress(t, c, data)
			trailer := []byte{0xde, 0xad, 0xbe, 0xef}
			src := append(append([]byte(nil), z...), trailer...)
			got := make([]byte, len(data))
			n, err := Decode(got, src)
			if err != nil {
				t.Fatalf("%s, %s: %v", name, c.name, err)
			}
			if !bytes.Equal(got, data) {
				t.Fatalf("%s, %s: decoded bytes differ", name, c.name)
			}
			if n != len(z) {
				t.Fatalf("%s, %s: consumed %d of a %d-byte stream", name, c.name, n, len(z))
			}
		}
	}
}

// Wrong sizes, truncation and damage are errors wrapping ErrCorrupt.
func TestDecodeErrors(t *testing.T) {
	data := samples()["shuffled counts"]
	z := compress(t, compressors()[2], data)
	for name, c := range map[string]struct {
		dst, src []byte
	}{
		"one byte short":  {make([]byte, len(data)-1), z},
		"one byte long":   {make([]byte, len(data)+1), z},
		"truncated":       {make([]byte, len(data)), z[:len(z)/2]},
		"last byte gone":  {make([]byte, len(data)), z[:len(z)-1]},
		"empty":           {make([]byte, len(data)), nil},
		"reserved type":   {make([]byte, 1), []byte{0x07}},
		"stored mismatch": {make([]byte, 1), []byte{0x01, 0x01, 0x00, 0x00, 0x00, 'x'}},
	} {
		if _, err := Decode(c.dst, c.src); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
	}
	// A stored block of one byte, then a fixed block whose match reaches
	// back 2 bytes: before the start of the output.
	var b bytes.Buffer
	b.Write([]byte{0x00, 0x01, 0x00, 0xfe, 0xff, 'a'})
	// Fixed block (final, type 1), length 3 (code 257 = 0000001, 7 bits),
	// distance 2 (code 1 = 00001, 5 bits), end of block (0000000).
	w := bitWriter{}
	w.put(1, 1)
	w.put(1, 2)
	w.putRev(1, 7)
	w.putRev(1, 5)
	w.putRev(0, 7)
	b.Write(w.bytes())
	if _, err := Decode(make([]byte, 4), b.Bytes()); !errors.Is(err, ErrCorrupt) {
		t.Errorf("distance before the start: err = %v", err)
	}
}

// bitWriter writes a deflate bit stream for hand-made test streams.
type bitWriter struct {
	acc uint64
	n   uint
	out []byte
}

func (w *bitWriter) put(v uint64, n uint) {
	w.acc |= v << w.n
	w.n += n
	for w.n >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.n -= 8
	}
}

// putRev writes a Huffman code, most significant bit first.
func (w *bitWriter) putRev(code uint64, n uint) {
	for i := int(n) - 1; i >= 0; i-- {
		w.put(code>>uint(i)&1, 1)
	}
}

func (w *bitWriter) bytes() []byte {
	if w.n > 0 {
		return append(w.out, byte(w.acc))
	}
	return w.out
}

// FuzzDecode holds Decode to compress/flate: for any input, when
// compress/flate decodes a whole stream, Decode gives the same bytes and
// consumes the same length; when compress/flate fails, so does Decode.
func FuzzDecode(f *testing.F) {
	for _, data := range samples() {
		for _, c := range compressors()[:3] {
			var b bytes.Buffer
			w, _ := c.enc(&b)
			w.Write(data[:min(len(data), 3000)])
			w.Close()
			f.Add(b.Bytes())
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		br := bytes.NewReader(src)
		r := stdflate.NewReader(br)
		want, werr := io.ReadAll(io.LimitReader(r, 1<<16))
		if werr == nil && len(want) == 1<<16 {
			return // too long to hold here
		}
		got := make([]byte, len(want))
		n, err := Decode(got, src)
		if werr != nil {
			if err == nil {
				t.Fatalf("compress/flate fails (%v) after %d bytes, Decode succeeds", werr, len(want))
			}
			return
		}
		if err != nil {
			t.Fatalf("compress/flate decodes %d bytes, Decode fails: %v", len(want), err)
		}
		if !bytes.Equal(got, want) {
			t.Fatal("decoded bytes differ from compress/flate's")
		}
		if used := len(src) - br.Len(); n > used {
			t.Fatalf("consumed %d bytes, compress/flate read only %d", n, used)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	data := samples()["shuffled counts"]
	var z bytes.Buffer
	w, _ := stdflate.NewWriter(&z, 1)
	w.Write(data)
	w.Close()
	dst := make([]byte, len(data))
	b.Run("inflate", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := Decode(dst, z.Bytes()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("klauspost", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		br := bytes.NewReader(z.Bytes())
		r := kpflate.NewReader(br)
		for b.Loop() {
			br.Reset(z.Bytes())
			r.(kpflate.Resetter).Reset(br, nil)
			if _, err := io.ReadFull(r, dst); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// DecodeZlib reads what compress/zlib writes, and refuses a damaged
// header, a wrong checksum and a preset dictionary.
func TestDecodeZlib(t *testing.T) {
	data := samples()["text"]
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write(data)
	w.Close()
	z := b.Bytes()
	got := make([]byte, len(data))
	if err := DecodeZlib(got, z); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("DecodeZlib: %v", err)
	}
	bad := append([]byte(nil), z...)
	bad[len(bad)-1] ^= 1
	if err := DecodeZlib(got, bad); !errors.Is(err, ErrCorrupt) {
		t.Errorf("wrong checksum: %v", err)
	}
	if err := DecodeZlib(got, append([]byte{0x78, 0x9c ^ 0x01}, z[2:]...)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("bad header: %v", err)
	}
	var d bytes.Buffer
	dw, _ := zlib.NewWriterLevelDict(&d, 6, []byte("radiance"))
	dw.Write(data)
	dw.Close()
	if err := DecodeZlib(got, d.Bytes()); !errors.Is(err, ErrCorrupt) {
		t.Errorf("preset dictionary: %v", err)
	}
}

// Short blocks packed at the very end of a stream, after stored blocks
// (each resets the bit buffer), decode: the look-ahead padding past the
// end is not mistaken for a truncated stream.
func TestDecodeShortBlocksAtEnd(t *testing.T) {
	var b bytes.Buffer
	w, _ := stdflate.NewWriter(&b, stdflate.BestSpeed)
	var want []byte
	for i := 0; i < 40; i++ {
		chunk := []byte(fmt.Sprintf("%c", 'a'+i%26))
		want = append(want, chunk...)
		w.Write(chunk)
		w.Flush() // a fixed block of one literal, then an empty stored block
	}
	w.Close()
	got := make([]byte, len(want))
	n, err := Decode(got, b.Bytes())
	if err != nil || !bytes.Equal(got, want) || n != b.Len() {
		t.Fatalf("Decode: %v (consumed %d of %d)", err, n, b.Len())
	}
	// The same stream one byte short is truncated.
	if _, err := Decode(got, b.Bytes()[:b.Len()-1]); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("truncated: %v", err)
	}
}
