package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"chunkpipe/kernels"
	"chunkpipe/pipeline"
)

// kernelsCmd is `chunkpipe kernels`.
type kernelsCmd struct {
	Verbose bool `short:"v" help:"Also say how each kernel behaves under the gil lock mode."`
}

// Run executes the command.
func (c *kernelsCmd) Run(g *globals) error {
	for _, d := range kernels.Catalog() {
		fmt.Printf("%s\n    %s\n", d.Usage, d.Summary)
		tw := tabwriter.NewWriter(os.Stdout, 2, 4, 1, ' ', 0)
		fmt.Fprintf(tw, "    halo:\t%s\n    output:\t%s\n", d.Halo, d.Output)
		if len(d.Params) > 0 {
			fmt.Fprintf(tw, "    parameters:\t%s\n", strings.Join(d.Params, ", "))
		}
		tw.Flush()
	}
	if c.Verbose {
		fmt.Println("\nUnder --lock gil:")
		for _, d := range kernels.Catalog() {
			n, _ := pipeline.GILNotes(d.Name)
			fmt.Printf("  %s\n    python model: %s\n    numpy model:  %s\n", d.Usage, n.Python, n.Numpy)
		}
	}
	fmt.Println("\nChain kernels with commas: calibrate,bt  calibrate,blur:5,coarsen:4  calibrate,stats")
	fmt.Println("Parameters come from the file's attributes and can be overridden with --param name=value;")
	fmt.Println("--preset anchors starts from the synthetic granule's constants (for its .npy copies, which keep no attributes).")
	fmt.Println("Boundaries: reflect is scipy.ndimage's and dask's 'reflect' (d c b a | a b c d | d c b a), which numpy.pad calls 'symmetric';")
	fmt.Println("nearest repeats the edge value, constant:V pads with V, none reads outside pixels as missing (NaN).")
	return nil
}
