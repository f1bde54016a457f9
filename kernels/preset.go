package kernels

import (
	"fmt"
	"sort"
	"strings"
)

// The anchors' synthetic granule constants (gen_granule.py and
// dask_pipeline.py in the reference workloads): the "anchors" preset's
// calibration. calibrate never applies them on its own; a run asks for
// them with --preset anchors, and `chunkpipe synth` writes them as
// attributes into formats that keep attributes.
const (
	AnchorsScaleFactor = 0.04572892 // radiance per count
	AnchorsAddOffset   = -1.6443053 // radiance offset
	AnchorsFillValue   = -1         // raw-count fill value

	// Band 13's Planck constants (dask_pipeline.py) for bt.
	AnchorsPlanckFK1 = 13432.1
	AnchorsPlanckFK2 = 1497.61
	AnchorsPlanckBC1 = 0.09102
	AnchorsPlanckBC2 = 0.99971
)

// SourcePreset marks a parameter that came from a named preset (--preset).
const SourcePreset = "preset"

// presets are the named parameter sets a run may start from.
var presets = map[string]func() Params{
	"anchors": func() Params {
		p := Params{}
		p.SetFloat("scale_factor", float64(float32(AnchorsScaleFactor)), SourcePreset)
		p.SetFloat("add_offset", float64(float32(AnchorsAddOffset)), SourcePreset)
		p.SetFloat("_FillValue", AnchorsFillValue, SourcePreset)
		p.SetFloat("planck_fk1", AnchorsPlanckFK1, SourcePreset)
		p.SetFloat("planck_fk2", AnchorsPlanckFK2, SourcePreset)
		p.SetFloat("planck_bc1", AnchorsPlanckBC1, SourcePreset)
		p.SetFloat("planck_bc2", AnchorsPlanckBC2, SourcePreset)
		return p
	},
}

// Preset returns a new copy of the named parameter set. "anchors" is the
// synthetic granule's: scale_factor [AnchorsScaleFactor], add_offset
// [AnchorsAddOffset], _FillValue [AnchorsFillValue] and band 13's Planck
// constants of bt ([AnchorsPlanckFK1] ...). The empty name gives empty Params.
func Preset(name string) (Params, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return Params{}, nil
	}
	mk, ok := presets[name]
	if !ok {
		return nil, fmt.Errorf("kernels: unknown preset %q (known: %s)", name, strings.Join(PresetNames(), ", "))
	}
	return mk(), nil
}

// PresetNames returns the preset names in sorted order.
func PresetNames() []string {
	names := make([]string, 0, len(presets))
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
