// Package formats is the registry of array file formats. Each format lives
// in its own subpackage and registers itself in an init function, as image
// codecs do with image.RegisterFormat; a program opts in by importing the
// subpackage (cmd/chunkpipe imports them all through formats/all).
//
// A [Reader] reports an array's shape, element type, attributes and storage
// chunking from the header alone, and reads any region without reading the
// whole file: this is what lets chunkpipe process files larger than memory.
// A [Writer] takes regions in any order as the pipeline finishes them and
// makes the output appear atomically: it writes into a temporary file or
// directory beside the target and renames it only on [Writer.Commit].
// Temporaries are named ".NAME.chunkpipe-tmp-PID-RANDOM", created with mode
// 0666 (directories 0777) less the umask, and those a killed process left
// are removed by the next output to the same target ([RemoveStaleTemps]).
package formats
