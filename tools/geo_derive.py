#!/usr/bin/env python3
"""geo_derive.py SRC_DIR DST_DIR — derive rentd's data/geo/ from the shared geography data.

The polygons keep every vertex of the source (no simplification, so shared borders
between municipalities stay identical); only what rentd does not read is dropped:
  * feature properties other than type, code and name;
  * coordinate digits beyond 6 decimals (~0.1 m), then consecutive duplicate
    vertices that the rounding produced (a ring keeps at least 4 points).
The CSVs are copied byte for byte. Output is deterministic (gzip mtime 0).

  python3 tools/geo_derive.py ../shared/data/geo data/geo
"""
import gzip
import json
import shutil
import sys

DIGITS = 6
CSVS = ["counties.csv", "municipalities.csv",
        "postal_to_municipality.csv"]
LAYERS = ["counties", "municipalities"]


def ring(coords):
    out = []
    for x, y in coords:
        p = [round(x, DIGITS), round(y, DIGITS)]
        if not out or out[-1] != p:
            out.append(p)
    if out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else [[round(x, DIGITS), round(y, DIGITS)] for x, y in coords]


def polygon(rings):
    return [ring(r) for r in rings]


def derive(src, dst, name):
    with gzip.open(f"{src}/{name}.geojson.gz", "rt", encoding="utf-8") as f:
        fc = json.load(f)
    features = []
    for ft in fc["features"]:
        g = ft["geometry"]
        if g["type"] == "Polygon":
            geom = {"type": "Polygon", "coordinates": polygon(g["coordinates"])}
        elif g["type"] == "MultiPolygon":
            geom = {"type": "MultiPolygon",
                    "coordinates": [polygon(p) for p in g["coordinates"]]}
        else:
            sys.exit(f"{name}: unexpected geometry {g['type']}")
        p = ft["properties"]
        features.append({"type": "Feature",
                         "properties": {"type": p["type"], "code": p["code"], "name": p["name"]},
                         "geometry": geom})
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":"))
    # one feature per line: readable diffs, same JSON
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    with open(f"{dst}/{name}.geojson.gz", "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0,
                           filename="") as gz:
            gz.write(text.encode("utf-8"))
            gz.write(b"\n")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    for c in CSVS:
        shutil.copyfile(f"{src}/{c}", f"{dst}/{c}")
    for layer in LAYERS:
        derive(src, dst, layer)


if __name__ == "__main__":
    main()
