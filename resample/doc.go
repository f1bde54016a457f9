// Package resample puts an input onto a map grid, as satpy's
// scn.resample(area) and gdalwarp do: an ABI fixed grid (geostationary
// scan angles) or a GeoTIFF in a known EPSG CRS, resampled to a target
// grid in EPSG:4326, UTM, polar stereographic or Lambert conformal conic
// (package proj does the projections).
//
// # Use
//
//	src, _ := resample.SourceGrid(in.Info())      // the input's geometry
//	area, _ := resample.ParseArea("latlon:0.02")  // the target, as the user names it
//	dst, _ := area.Grid(src)                       // resolved over the input's footprint
//	r, _ := resample.New(in, src, dst, resample.Options{Method: resample.Bilinear})
//
// r is a formats.Reader of the target grid: the pipeline reads it chunk by
// chunk, and each chunk reads only the input box it needs (see [Reader]).
//
// # Outputs
//
// A Reader's Info().Geo is a *geotiff.Georef naming the target's EPSG
// code, which GeoTIFF writes as it is. For NetCDF and Zarr this package
// registers a converter (formats.RegisterCFGridFunc) that describes any
// such Georef the CF way:
// lat/lon or y/x coordinates at pixel centres and a "crs" grid-mapping
// variable with the CF parameters, the EPSG code and the WKT (crs_wkt,
// which Zarr also gets as GDAL's _CRS). They key on Geo, not on the data
// attributes, so the grid mapping survives kernel chains and band math
// that rebuild the attributes.
//
// # Order with kernels
//
// Resampling comes first, kernels run on the resampled grid. Nearest
// copies raw values, so calibrate, bt and every per-pixel kernel give
// exactly what they would have given on the input at the chosen pixels.
// Bilinear and Average interpolate raw values as float32, leaving fill
// values out (never blending a 1023 fill count into a radiance); CF
// scale_factor and add_offset are affine and commute with both, so
// calibrate afterwards equals interpolating radiances. Non-linear kernels
// (bt, reflectance) then see interpolated radiances, as satpy does when it
// resamples before making a composite.
//
// # Accuracy against GDAL
//
// With every pixel projected (Options.Tolerance < 0, gdalwarp -et 0) the
// output equals gdalwarp's on the real ABI files: nearest bit for bit,
// bilinear within 1e-7 relative (tools/resample/gdal_check.sh; the tests
// compare with small gdalwarp outputs in testdata). gdalwarp -r bilinear
// widens its kernel when output pixels are larger than input pixels; this
// package's Bilinear does not, and Average is the method for downsampling.
// The default tolerance, 0.125 input pixels as in gdalwarp, interpolates
// coordinates along rows and moves a few percent of nearest choices to a
// neighbouring pixel.
//
// # Limits
//
// Targets must have an EPSG code that [proj.FromEPSG] knows and be
// north-up. Inverse projections return longitudes continuous around the
// input's own meridian, so a lon/lat footprint across the antimeridian
// runs past 180 degrees (e.g. 154 to 186) instead of spanning the globe;
// explicit bounds may do the same. Footprints are found from the border, a
// 64x64 mesh and, when part of the input is off the Earth (full disk) or
// outside the target projection's domain, rays from the centre bisected to
// the edge of what maps, so a full disk's lat/lon grid reaches the limb
// (81.3 degrees north and south, within 0.05).
package resample
