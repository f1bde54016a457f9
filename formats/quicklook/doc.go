// Package quicklook writes PNG quicklooks of pipeline results: a downsampled,
// contrast-stretched 8-bit picture of one array ([Writer]) or of three arrays
// as an RGB composite ([Composite]). It registers the write-only "png"
// format (extension .png) with the formats registry in its init function.
//
// # Streaming
//
// Regions arrive in any order and from several goroutines. Each is folded
// into a per-output-pixel accumulator as it arrives ([Downsampler]), so the
// memory used is proportional to the output picture, never to the input
// array. An output pixel is the mean of the f x f input block it covers,
// ignoring missing values (NaN, ±Inf and the _FillValue attribute), with
//
//	f = ceil(max(rows, cols) / maxSize)
//
// where maxSize is the "max-size" option (default [DefaultMaxSize]). Blocks
// at the bottom and right edges may be partial; their mean is over the
// pixels that exist.
//
// # Reproducibility
//
// The sums are compensated (Neumaier's variant of Kahan summation). When
// every output block lies inside one region (region edges on multiples of
// f, as when the chunk shape is a multiple of f), the additions happen in a
// fixed order and the means are identical bit for bit whatever order the
// regions arrive in. Otherwise partial sums meet in arrival order and a mean
// may differ in its last bits between runs; the 8-bit picture is the same
// unless a mean lies within about 1e-13 (relative) of a quantisation step.
//
// # Options
//
// [Create] and [NewComposite] read formats.CreateSpec.Options:
//
//	max-size   longer side of the output in pixels (default 2048)
//	stretch    "percentile:LO:HI" (default "percentile:2:98"), "percentile"
//	           (2:98) or "minmax"; limits are computed at Commit, exactly, on
//	           the downsampled values
//	range      "LO:HI" fixed data limits; overrides stretch; LO > HI inverts
//	gamma      display gamma (default 1)
//	colormap   "gray" (default), "viridis", "magma", "inferno", or "auto":
//	           inferno when the "units" attribute is "K" (brightness
//	           temperature), else gray
//	rgb-range  composites only: "LO:HI,LO:HI,LO:HI" per channel
//	           (default: each channel stretched by the stretch option)
//	rgb-gamma  composites only: "G,G,G" per channel (default 1,1,1)
//
// A stretch maps a value v to
//
//	t = clip((v - lo) / (hi - lo), 0, 1) ** (1 / gamma)
//
// which is satpy's convention (its "gamma" enhancement computes
// v**(1/gamma)), so gamma > 1 brightens dark values. The 8-bit level is
// round(255 t). Missing values become fully transparent pixels.
package quicklook
