// Package regularfile opens inputs that must be regular files and reads
// them in bounded, cancellable pieces.
//
// A FIFO, a character device such as /dev/zero or a socket passed as an
// input, or linked into a Zarr store, would otherwise block an open
// forever or stream without end; [Open] refuses them with an error that
// names the path and what it is, without blocking. [ReadAll] reads a file
// of at most a given size in pieces, checking the context between pieces,
// so a wrong size bound or a cancelled run stops a read early.
package regularfile
