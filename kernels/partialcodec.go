package kernels

import (
	"encoding/binary"
	"fmt"
	"math"
)

// The partials of Stats and Histogram implement encoding.BinaryMarshaler
// and encoding.BinaryUnmarshaler, so that a partial computed in another
// process (a cluster worker) can be merged by the coordinator with the same
// bits as one computed in place. The encoding is little-endian fixed-size
// fields; it is for transport between processes of one build, not storage.

// MarshalBinary encodes the partial's exact state.
func (s *statsPartial) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, 4*8+2*4+3*256*8)
	for _, v := range []int64{s.finite, s.nan, s.posInf, s.negInf} {
		b = binary.LittleEndian.AppendUint64(b, uint64(v))
	}
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(s.min))
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(s.max))
	for _, arr := range []*[256]int64{&s.sum, &s.sqHi, &s.sqLo} {
		for _, v := range arr {
			b = binary.LittleEndian.AppendUint64(b, uint64(v))
		}
	}
	return b, nil
}

// UnmarshalBinary replaces the partial's state by the one b encodes.
func (s *statsPartial) UnmarshalBinary(b []byte) error {
	const want = 4*8 + 2*4 + 3*256*8
	if len(b) != want {
		return fmt.Errorf("kernels: stats partial: %d bytes, want %d", len(b), want)
	}
	u64 := func() int64 { v := binary.LittleEndian.Uint64(b); b = b[8:]; return int64(v) }
	s.finite, s.nan, s.posInf, s.negInf = u64(), u64(), u64(), u64()
	s.min = math.Float32frombits(binary.LittleEndian.Uint32(b))
	s.max = math.Float32frombits(binary.LittleEndian.Uint32(b[4:]))
	b = b[8:]
	for _, arr := range []*[256]int64{&s.sum, &s.sqHi, &s.sqLo} {
		for i := range arr {
			arr[i] = u64()
		}
	}
	return nil
}

// MarshalBinary encodes the histogram partial's counts (the layout is the
// reducer's, which the receiver already has).
func (s *histPartial) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, (5+len(s.counts))*8)
	for _, v := range []int64{int64(len(s.counts)), s.nan, s.below, s.above, s.unbinned} {
		b = binary.LittleEndian.AppendUint64(b, uint64(v))
	}
	for _, c := range s.counts {
		b = binary.LittleEndian.AppendUint64(b, uint64(c))
	}
	return b, nil
}

// UnmarshalBinary replaces the counts by those b encodes; the bin count
// must be the receiver's.
func (s *histPartial) UnmarshalBinary(b []byte) error {
	if len(b) < 5*8 || int64(binary.LittleEndian.Uint64(b)) != int64(len(s.counts)) || len(b) != (5+len(s.counts))*8 {
		return fmt.Errorf("kernels: histogram partial: %d bytes do not hold %d bins", len(b), len(s.counts))
	}
	u64 := func() int64 { v := binary.LittleEndian.Uint64(b); b = b[8:]; return int64(v) }
	u64()
	s.nan, s.below, s.above, s.unbinned = u64(), u64(), u64(), u64()
	for i := range s.counts {
		s.counts[i] = u64()
	}
	return nil
}
