package zarr

import "fmt"

// blosclz is blosc's own LZ77 codec, derived from FastLZ level 2. A stream
// is a sequence of tokens; the first byte's top three bits are a format
// marker and are ignored. A control byte ctrl < 32 starts a literal run of
// ctrl+1 bytes. Otherwise it is a match:
//
//	len  = ctrl>>5 (1..7); when 7, extension bytes follow and are added
//	       to it until one is not 255
//	dist = (ctrl&31)<<8 + the next byte; when that byte is 255 and
//	       ctrl&31 is 31, a big-endian uint16 follows and
//	       dist = uint16 + blosclzMaxDistance
//
// and len+2 bytes are copied from dist+1 bytes back (overlapping copies
// repeat the pattern). Streams end after the last token.
const blosclzMaxDistance = 8191

// blosclzDecode decodes src into dst and returns the number of bytes
// written. Input that would write past dst, read before its start or run
// past the end of src is an error.
func blosclzDecode(dst, src []byte) (int, error) {
	if len(src) == 0 {
		return 0, fmt.Errorf("blosclz: empty input")
	}
	ip, op := 1, 0
	ctrl := int(src[0] & 31)
	for {
		if ctrl < 32 {
			n := ctrl + 1
			if n > len(dst)-op || n > len(src)-ip {
				return op, fmt.Errorf("blosclz: literal of %d bytes at output %d overruns", n, op)
			}
			copy(dst[op:], src[ip:ip+n])
			op += n
			ip += n
		} else {
			length := ctrl>>5 - 1
			dist := (ctrl & 31) << 8
			if length == 6 {
				for {
					if ip >= len(src) {
						return op, fmt.Errorf("blosclz: truncated match length at input %d", ip)
					}
					code := int(src[ip])
					ip++
					length += code
					if code != 255 {
						break
					}
				}
			}
			if ip >= len(src) {
				return op, fmt.Errorf("blosclz: truncated match at input %d", ip)
			}
			code := int(src[ip])
			ip++
			dist += code
			if code == 255 && ctrl&31 == 31 {
				if ip+2 > len(src) {
					return op, fmt.Errorf("blosclz: truncated far match at input %d", ip)
				}
				dist = int(src[ip])<<8 | int(src[ip+1]) + blosclzMaxDistance
				ip += 2
			}
			dist++
			length += 3
			if length > len(dst)-op {
				return op, fmt.Errorf("blosclz: match of %d bytes at output %d overruns %d", length, op, len(dst))
			}
			if dist > op {
				return op, fmt.Errorf("blosclz: match distance %d at output %d reaches before the start", dist, op)
			}
			if dist >= length {
				copy(dst[op:op+length], dst[op-dist:])
			} else {
				for k := 0; k < length; k++ {
					dst[op+k] = dst[op-dist+k]
				}
			}
			op += length
		}
		if ip >= len(src) {
			return op, nil
		}
		ctrl = int(src[ip])
		ip++
	}
}
