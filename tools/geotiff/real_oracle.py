#!/usr/bin/python3
"""Record GDAL's view of the real GeoTIFFs for formats/geotiff tests.

Run once from the repository root with Debian's python3-gdal:

    /usr/bin/python3 tools/geotiff/real_oracle.py ../shared/testdata/real/geotiff \
        > testdata/geotiff/real_oracle.json

For every raster file it records shape, data type, block size, nodata and,
per band, GDAL's checksum (the value `gdalinfo -checksum` prints) and the
float64 sum, min and max of all pixels (nodata included, NaN skipped), also
for each overview's checksum.
"""
import json
import os
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def band_stats(b):
    a = b.ReadAsArray().astype(np.float64)
    finite = a[~np.isnan(a)]
    return {
        "checksum": b.Checksum(),
        "sum": float(finite.sum()),
        "min": float(finite.min()) if finite.size else None,
        "max": float(finite.max()) if finite.size else None,
        "nan_count": int(np.isnan(a).sum()),
    }


def main(root):
    out = {}
    for name in sorted(os.listdir(root)):
        if not name.lower().endswith((".tif", ".tiff")):
            continue
        ds = gdal.Open(os.path.join(root, name))
        b1 = ds.GetRasterBand(1)
        rec = {
            "rows": ds.RasterYSize,
            "cols": ds.RasterXSize,
            "dtype": gdal.GetDataTypeName(b1.DataType).lower(),
            "block": list(reversed(b1.GetBlockSize())),
            "nodata": b1.GetNoDataValue(),
            "scale": b1.GetScale(),
            "offset": b1.GetOffset(),
            "geotransform": list(ds.GetGeoTransform(can_return_null=True) or []),
            "bands": [band_stats(ds.GetRasterBand(i + 1)) for i in range(ds.RasterCount)],
            "overviews": [
                {"rows": o.YSize, "cols": o.XSize, "checksum": o.Checksum()}
                for o in (b1.GetOverview(k) for k in range(b1.GetOverviewCount()))
            ],
        }
        out[name] = rec
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
