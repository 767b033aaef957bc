"""Readers of TLE and OMM (JSON, CSV, XML) element files (orbits.omm).

Sources of expected values:
- seeds/authorities/stations-2024-05-09.tle: the real TLEs (values read here by column).
- tests/data/elements/*: the same real sets as OMM, made by sgp4.exporter.export_omm
  (see that folder's README); sgp4's own Satrec.twoline2rv of the TLE is the reference the OMM
  reader must reproduce, and sgp4.omm.initialize (the sgp4 package's OMM reader) is run on the
  same fields as an independent check.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from orbits.errors import DataFileError
from orbits.omm import detect_format, parse_elements, read_elements

ROOT = Path(__file__).resolve().parents[2]
TLE_FILE = ROOT / "seeds" / "authorities" / "stations-2024-05-09.tle"
DATA = ROOT / "tests" / "data" / "elements"


def _tle_lines():
    lines = [ln.rstrip() for ln in TLE_FILE.read_text().splitlines() if ln.strip()]
    return [(lines[k].strip(), lines[k + 1], lines[k + 2]) for k in range(0, len(lines), 3)]


@pytest.mark.parametrize("suffix", ["json", "csv", "xml"])
def test_omm_formats_reproduce_the_tle_sets(suffix):
    from sgp4.api import WGS72, Satrec

    sets = read_elements(DATA / f"stations-2024-05-09.{suffix}")
    raw = _tle_lines()
    assert [s.name for s in sets] == [name for name, _, _ in raw]
    times = np.array([0.0, 0.5, 3.0])  # days after 2024-05-09 00:00 UTC
    for s, (name, l1, l2) in zip(sets, raw):
        ref = Satrec.twoline2rv(l1, l2, WGS72)
        assert s.catalog_number == int(l1[2:7])
        # epoch: TLE day of year (8 decimals, ~1 ms) vs the OMM's microseconds
        assert abs((ref.jdsatepoch + ref.jdsatepochF) - s.epoch.jd) * 86400 < 1e-3
        assert_allclose(s.inc.to_value("deg"), float(l2[8:16]), atol=1e-9)
        assert_allclose(s.raan.to_value("deg"), float(l2[17:25]), atol=1e-9)
        assert_allclose(s.mean_motion.value, float(l2[52:63]), rtol=1e-12)
        # same SGP4 positions as the TLE itself, to the metre, over three days
        e1, r1, _ = ref.sgp4_array(np.full(3, 2460439.5), times)
        e2, r2, _ = s.satrec.sgp4_array(np.full(3, 2460439.5), times)
        assert not e1.any() and not e2.any()
        assert_allclose(r2, r1, atol=1e-3)
        assert s.source.endswith(f".{suffix}") and s.record


def test_omm_reader_agrees_with_sgp4_omm_initialize():
    from sgp4.api import Satrec
    from sgp4.omm import initialize

    recs = json.loads((DATA / "stations-2024-05-09.json").read_text())
    sets = read_elements(DATA / "stations-2024-05-09.json")
    for rec, s in zip(recs, sets):
        ref = Satrec()
        initialize(ref, {k: str(v) for k, v in rec.items()})
        for attr in ("inclo", "nodeo", "ecco", "argpo", "mo", "no_kozai", "bstar", "ndot"):
            assert_allclose(getattr(s.satrec, attr), getattr(ref, attr), rtol=1e-14, atol=0)
        assert abs((ref.jdsatepoch + ref.jdsatepochF) - s.epoch.jd) * 86400 < 1e-5


def test_tle_file_two_and_three_line_many_epochs(tmp_path):
    raw = _tle_lines()
    # 2-line sets of ISS (ZARYA) and TIANHE, then the 3-line file: two objects twice
    text = f"{raw[0][1]}\n{raw[0][2]}\n{raw[1][1]}\n{raw[1][2]}\n" + TLE_FILE.read_text()
    p = tmp_path / "mixed.tle"
    p.write_text(text)
    sets = read_elements(p)
    assert len(sets) == 2 + len(raw)
    assert sets[0].name == "25544" and sets[2].name == "ISS (ZARYA)"
    assert sets[0].record == "line 1" and sets[2].record == "line 6"


def test_detect_format():
    assert detect_format("[{}]") == "json"
    assert detect_format("<?xml ...") == "xml"
    assert detect_format("OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID\n") == "csv"
    assert detect_format("ISS\n1 25544U") == "tle"
    assert detect_format("anything", "x.csv") == "csv"


# --- bad files: file, line or record, and field -----------------------------------------------


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_tle_checksum_error_names_file_line_and_field(tmp_path):
    name, l1, l2 = _tle_lines()[0]
    bad2 = l2[:60] + ("9" if l2[60] != "9" else "8") + l2[61:]
    p = _write(tmp_path, "bad.tle", f"{name}\n{l1}\n{bad2}\n")
    with pytest.raises(DataFileError, match=r"bad\.tle, line 3 \(TLE line 2\), checksum"):
        read_elements(p)


def test_tle_wrong_columns(tmp_path):
    name, l1, l2 = _tle_lines()[0]
    shifted = l2[:8] + " " + l2[8:67] + l2[68]  # inclination shifted one column right
    p = _write(tmp_path, "cols.tle", f"{name}\n{l1}\n{shifted}\n")
    with pytest.raises(DataFileError, match="line 3 .*(columns|checksum)"):
        read_elements(p)
    p = _write(tmp_path, "short.tle", f"{name}\n{l1[:60]}\n{l2}\n")
    with pytest.raises(DataFileError, match=r"line 2 \(TLE line 1\), columns: must be a "
                                            "69-character line"):
        read_elements(p)


def test_tle_mixed_up_objects(tmp_path):
    raw = _tle_lines()
    p = _write(tmp_path, "mixed.tle", f"X\n{raw[0][1]}\n{raw[1][2]}\n")  # ISS line 1, CSS line 2
    with pytest.raises(DataFileError, match=r"line 3 .*catalogue number.*'25544' and '48274'"):
        read_elements(p)


def test_tle_epoch_that_does_not_parse(tmp_path):
    from orbits.tle import _checksum_ok

    name, l1, l2 = _tle_lines()[0]
    bad = l1[:20] + "4x0.36689744" + l1[32:68]
    # fix the checksum so that only the epoch is wrong
    total = sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in bad)
    bad += str(total % 10)
    assert _checksum_ok(bad)
    p = _write(tmp_path, "epoch.tle", f"{name}\n{bad}\n{l2}\n")
    with pytest.raises(DataFileError, match=r"line 2 \(TLE line 1\), epoch day of year"):
        read_elements(p)


def test_empty_and_missing_files(tmp_path):
    with pytest.raises(DataFileError, match="empty"):
        read_elements(_write(tmp_path, "empty.tle", "\n  \n"))
    with pytest.raises(DataFileError, match="empty"):
        read_elements(_write(tmp_path, "empty.json", "[]"))
    with pytest.raises(FileNotFoundError, match="nope.json"):
        read_elements(tmp_path / "nope.json")
    with pytest.raises(DataFileError, match=r"junk\.tle, line 1: neither a name"):
        read_elements(_write(tmp_path, "junk.tle", "hello\nworld\n"))


def test_json_missing_field_names_record(tmp_path):
    recs = json.loads((DATA / "stations-2024-05-09.json").read_text())
    del recs[1]["INCLINATION"]
    p = _write(tmp_path, "gp.json", json.dumps(recs))
    with pytest.raises(DataFileError, match=r"gp\.json, record 2: missing OMM field INCLINATION"):
        read_elements(p)
    recs = json.loads((DATA / "stations-2024-05-09.json").read_text())
    recs[0]["EPOCH"] = "2024-13-45T99:00:00"
    p = _write(tmp_path, "gp2.json", json.dumps(recs))
    with pytest.raises(DataFileError, match="record 1: field EPOCH '2024-13-45T99:00:00'"):
        read_elements(p)
    recs[0]["EPOCH"] = "2024-05-09T08:48:19"
    recs[0]["ECCENTRICITY"] = "abc"
    p = _write(tmp_path, "gp3.json", json.dumps(recs))
    with pytest.raises(DataFileError, match="record 1: field ECCENTRICITY must be a number"):
        read_elements(p)
    with pytest.raises(DataFileError, match=r"line \d+ column \d+: not valid JSON"):
        read_elements(DATA / "gp-truncated.json")


def test_csv_wrong_columns(tmp_path):
    text = (DATA / "stations-2024-05-09.csv").read_text()
    head, *rows = text.splitlines()
    p = _write(tmp_path, "nohead.csv", "\n".join([head.replace("MEAN_ANOMALY", "MA"), *rows]))
    with pytest.raises(DataFileError, match=r"line 1 \(header\): missing OMM column MEAN_ANOMALY"):
        read_elements(p)
    p = _write(tmp_path, "extra.csv", "\n".join([head, rows[0], rows[1] + ",1,2"]))
    with pytest.raises(DataFileError, match="extra.csv, line 3: 23 values for 21 columns"):
        read_elements(p)
    p = _write(tmp_path, "short.csv", "\n".join([head, rows[0].rsplit(",", 2)[0]]))
    with pytest.raises(DataFileError, match="line 2: too few values, field MEAN_MOTION_DOT"):
        read_elements(p)


def test_xml_errors(tmp_path):
    text = (DATA / "stations-2024-05-09.xml").read_text()
    p = _write(tmp_path, "cut.xml", text[: len(text) // 2])
    with pytest.raises(DataFileError, match=r"cut\.xml, line \d+ column \d+: not well-formed"):
        read_elements(p)
    p = _write(tmp_path, "noinc.xml", text.replace("<INCLINATION>41.4681</INCLINATION>", "", 1))
    with pytest.raises(DataFileError, match="segment 2: missing OMM field INCLINATION"):
        read_elements(p)
    p = _write(tmp_path, "nodata.xml", "<ndm><omm><body></body></omm></ndm>")
    with pytest.raises(DataFileError, match="no OMM <segment>"):
        read_elements(p)


def test_parse_elements_from_text():
    sets = parse_elements((DATA / "gp-core.json").read_text(), source="https://example/gp")
    assert [s.catalog_number for s in sets] == [25544, 48274]  # the two sets of gp-core.json
    assert sets[0].source == "https://example/gp" and sets[0].record == "record 1"
