"""Regenerate the OMM fixtures of this folder from the real TLEs of
seeds/authorities/stations-2024-05-09.tle (run from the repository root:
``python tests/data/elements/make_fixtures.py``).

Each OMM record is the TLE converted field by field with ``sgp4.exporter.export_omm`` (the sgp4
package's own converter), rounded to the digits the TLE carries, in CelesTrak's GP field order.
Nothing is invented: every number comes from a real CelesTrak element set.
"""

import csv
import json
from pathlib import Path

from sgp4.api import WGS72, Satrec
from sgp4.exporter import export_omm

HERE = Path(__file__).resolve().parent
TLE = HERE.parents[2] / "seeds" / "authorities" / "stations-2024-05-09.tle"

DIGITS = {"MEAN_MOTION": 8, "ECCENTRICITY": 7, "INCLINATION": 4, "RA_OF_ASC_NODE": 4,
          "ARG_OF_PERICENTER": 4, "MEAN_ANOMALY": 4, "MEAN_MOTION_DOT": 8}


def records():
    lines = [ln.rstrip() for ln in TLE.read_text().splitlines() if ln.strip()]
    out = []
    for k in range(0, len(lines), 3):
        sat = Satrec.twoline2rv(lines[k + 1], lines[k + 2], WGS72)
        rec = export_omm(sat, lines[k].strip())
        for key, n in DIGITS.items():
            rec[key] = round(rec[key], n)
        rec["BSTAR"] = float(f"{rec['BSTAR']:.5g}")
        rec["MEAN_MOTION_DDOT"] = float(f"{rec['MEAN_MOTION_DDOT']:.5g}")
        out.append(rec)
    return out


def write_xml(path, recs):
    meta = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM",
            "MEAN_ELEMENT_THEORY")
    mean = ("EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
            "ARG_OF_PERICENTER", "MEAN_ANOMALY")
    tlep = ("EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO",
            "REV_AT_EPOCH", "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT")
    segs = []
    for r in recs:
        def block(tag, keys, r=r):
            inner = "".join(f"<{k}>{r[k]}</{k}>" for k in keys)
            return f"<{tag}>{inner}</{tag}>"
        segs.append(f"<omm id=\"CCSDS_OMM_VERS\" version=\"2.0\"><header><CREATION_DATE/>"
                    f"<ORIGINATOR/></header><body><segment>{block('metadata', meta)}<data>"
                    f"{block('meanElements', mean)}{block('tleParameters', tlep)}</data>"
                    f"</segment></body></omm>")
    path.write_text("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ndm xmlns:xsi="
                    "\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation="
                    "\"https://sanaregistry.org/r/ndmxml_unqualified/ndmxml-2.0.0-master-2.0.xsd\">\n"
                    + "\n".join(segs) + "\n</ndm>\n")


def main():
    recs = records()
    (HERE / "stations-2024-05-09.json").write_text(json.dumps(recs, indent=1) + "\n")
    with open(HERE / "stations-2024-05-09.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(recs[0]))
        w.writeheader()
        w.writerows(recs)
    write_xml(HERE / "stations-2024-05-09.xml", recs)
    # the download fixtures of tests/missions/test_elements_store.py: a first download with the
    # two core modules, a second with the other objects, and a download cut off mid-record
    core = [r for r in recs if r["NORAD_CAT_ID"] in (25544, 48274)]
    rest = [r for r in recs if r["NORAD_CAT_ID"] not in (25544, 48274)]
    (HERE / "gp-core.json").write_text(json.dumps(core, indent=1) + "\n")
    (HERE / "gp-rest.json").write_text(json.dumps(rest, indent=1) + "\n")
    text = json.dumps(core, indent=1)
    (HERE / "gp-truncated.json").write_text(text[: len(text) // 2])


if __name__ == "__main__":
    main()
