package geotiff

import (
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"

	"chunkpipe/chunk"
)

// gdalItem is one <Item> of GDAL's metadata XML (tag 42112).
type gdalItem struct {
	Name   string `xml:"name,attr"`
	Sample string `xml:"sample,attr"`
	Role   string `xml:"role,attr"`
	Domain string `xml:"domain,attr"`
	Value  string `xml:",chardata"`
}

// parseGDALMetadata decodes the GDALMetadata XML; malformed XML yields no
// items rather than an error, as GDAL itself only warns.
func parseGDALMetadata(s string) []gdalItem {
	var doc struct {
		Items []gdalItem `xml:"Item"`
	}
	if err := xml.Unmarshal([]byte(s), &doc); err != nil {
		return nil
	}
	return doc.Items
}

// parseNoData parses GDAL_NODATA text ("nan", "-9999", "1e+20").
func parseNoData(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimRight(s, "\x00"))
	switch strings.ToLower(s) {
	case "nan", "-nan":
		return math.NaN(), true
	case "inf", "+inf":
		return math.Inf(1), true
	case "-inf":
		return math.Inf(-1), true
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// formatNoData renders a nodata value the way GDAL writes it.
func formatNoData(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', 17, 64)
}

// fillAttr converts a nodata value to the attribute value type matching t:
// int64 for integer types when it is integral, float64 otherwise.
func fillAttr(v float64, t chunk.DType) any {
	if !t.IsFloat() && v == math.Trunc(v) && !math.IsInf(v, 0) {
		return int64(v)
	}
	return v
}

// gdalMetadataXML renders items as GDAL's metadata XML, or "" when empty.
func gdalMetadataXML(items []gdalItem) string {
	if len(items) == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString("<GDALMetadata>\n")
	for _, it := range items {
		sb.WriteString("  <Item name=\"")
		xml.EscapeText(&sb, []byte(it.Name))
		sb.WriteString("\"")
		if it.Sample != "" {
			fmt.Fprintf(&sb, " sample=\"%s\"", it.Sample)
		}
		if it.Role != "" {
			fmt.Fprintf(&sb, " role=\"%s\"", it.Role)
		}
		sb.WriteString(">")
		xml.EscapeText(&sb, []byte(it.Value))
		sb.WriteString("</Item>\n")
	}
	sb.WriteString("</GDALMetadata>")
	return sb.String()
}
