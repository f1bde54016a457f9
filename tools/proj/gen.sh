#!/usr/bin/env bash
# Regenerates proj/testdata/gdaltransform.txt: PROJ's forward projection
# (through GDAL's gdaltransform, Debian's gdal-bin) of fixed points, for each
# CRS that proj's tests construct in Go. Each case starts with a line
# "case NAME SRC_CRS -> DST_CRS", followed by lines "lon lat x y".
# Usage: tools/proj/gen.sh > proj/testdata/gdaltransform.txt
set -euo pipefail
command -v gdaltransform >/dev/null || { echo "needs gdaltransform (apt-get install gdal-bin)" >&2; exit 1; }

emit() { # name src dst points...
	local name=$1 src=$2 dst=$3
	shift 3
	echo "case $name $src -> $dst"
	printf '%s\n' "$@" | gdaltransform -s_srs "$src" -t_srs "$dst" -output_xy |
		paste -d' ' <(printf '%s\n' "$@") - |
		awk '{ printf "%.10f %.10f %.6f %.6f\n", $1, $2, $3, $4 }'
}

geos="+proj=geos +lon_0=-75 +h=35786023 +a=6378137 +b=6356752.31414 +sweep=x +units=m +no_defs"
geosy="+proj=geos +lon_0=0 +h=35785831 +a=6378169 +b=6356583.8 +sweep=y +units=m +no_defs"
ll="+proj=longlat +ellps=WGS84 +no_defs"
ll80="+proj=longlat +ellps=GRS80 +no_defs"
emit geos_goes16 "$ll80" "$geos" "-75 0" "-120 40" "-100 35" "-60 -30" "-20 10" "-75 70" "-140 -50" "-90.5 25.25"
emit geos_msg "+proj=longlat +a=6378169 +b=6356583.8 +no_defs" "$geosy" "0 0" "10 50" "-30 -20" "40 60" "60 -10"
emit utm10n EPSG:4326 EPSG:32610 "-123 38" "-126 45" "-120 32" "-123 0.5" "-117 60" "-123 84" "-129.5 40"
emit utm33s EPSG:4326 EPSG:32733 "15 -10" "12 -40" "18 -60" "15 -0.5" "9 -80"
emit utm60n EPSG:4326 EPSG:32660 "177 10" "179.9 50" "174 70"
emit tmerc_airy "+proj=longlat +ellps=airy +no_defs" "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +units=m +no_defs" "-2 49" "0 52" "-6 58" "1.7 51"
emit stere3413 EPSG:4326 EPSG:3413 "-45 90" "-45 70" "0 80" "100 65" "-150 75" "30 45"
emit stere3031 EPSG:4326 EPSG:3031 "0 -90" "0 -71" "120 -80" "-60 -65" "170 -50"
emit stere3976 EPSG:4326 EPSG:3976 "0 -70" "45 -85" "-100 -60"
emit stere3995 EPSG:4326 EPSG:3995 "0 71" "90 80" "-170 60"
emit stere_pole_k "$ll" "+proj=stere +lat_0=90 +lat_ts=90 +lon_0=-45 +k=0.994 +x_0=2000000 +y_0=2000000 +ellps=WGS84 +units=m +no_defs" "-45 90" "0 60" "120 75"
emit lcc2154 EPSG:4171 EPSG:2154 "3 46.5" "2.35 48.85" "-4.5 48.4" "7.7 48.6" "9.4 42.0"
emit lcc3978 EPSG:4269 EPSG:3978 "-95 49" "-75 45" "-123 49" "-60 70" "-100 80"
emit lcc_south "$ll" "+proj=lcc +lat_1=-30 +lat_2=-40 +lat_0=-35 +lon_0=145 +x_0=1000000 +y_0=2000000 +ellps=WGS84 +units=m +no_defs" "145 -35" "140 -20" "150 -45" "130 -10"
emit lcc_1sp "$ll" "+proj=lcc +lat_1=25 +lat_0=25 +lon_0=-95 +k_0=0.9999 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs" "-95 25" "-110 40" "-80 10"
