package trace

import (
	"image/color"

	"chunkpipe/pipeline"
)

// kindStyle is how the timeline draws one kind of span.
type kindStyle struct {
	kind  string
	fill  color.RGBA
	hatch color.Color // nil: solid
}

// kindStyles lists the span kinds in legend order with their colours. The
// lock wait is pale and hatched so that waiting reads as "not working".
var kindStyles = []kindStyle{
	{kind: pipeline.StageRead, fill: color.RGBA{0x4c, 0x78, 0xa8, 0xff}},
	{kind: pipeline.StageDecode, fill: color.RGBA{0x72, 0xb7, 0xb2, 0xff}},
	{kind: pipeline.StageLock, fill: color.RGBA{0xfb, 0xe0, 0xdc, 0xff}, hatch: color.RGBA{0xd6, 0x27, 0x28, 0xff}},
	{kind: pipeline.StageCompute, fill: color.RGBA{0x54, 0xa2, 0x4b, 0xff}},
	{kind: pipeline.StageWrite, fill: color.RGBA{0xb2, 0x79, 0xa2, 0xff}},
}

// otherStyle draws kinds not in kindStyles.
var otherStyle = kindStyle{kind: "other", fill: color.RGBA{0x9d, 0x9d, 0x9d, 0xff}}

// styleOf returns the style of a span kind.
func styleOf(kind string) kindStyle {
	for _, s := range kindStyles {
		if s.kind == kind {
			return s
		}
	}
	return otherStyle
}
