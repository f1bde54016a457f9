// Package netcdf4 is chunkpipe's format adapter for NetCDF-4 and plain HDF5
// files, on top of the pure-Go reader in package hdf5. It registers the
// "netcdf4" format by the HDF5 signature, so a .nc file that is NetCDF-4
// underneath is recognised by its bytes, not its name.
//
// A variable is chosen by name ("Rad") or by path in nested groups
// ("/NS/SLV/precipRateNearSurface"); without one, "Rad" (ABI L1b) or else
// the largest 2-D numeric variable. Leading dimensions of size 1 are
// dropped (VIIRS L2P's time). The file's scalar variables (ABI's kappa0 and
// Planck coefficients) are offered to kernels through formats.ScalarReader.
// Region reads decode only the storage chunks they touch, in parallel when a
// region spans several, with no global lock.
package netcdf4
