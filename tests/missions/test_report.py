"""The HTML report: findings first and sources last, every section and figure present,
self-contained, sources resolvable, every table also in data/ as CSV and JSON."""

from __future__ import annotations

import csv
import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from missions import load_catalog
from missions.report import FIGURE_NAMES, SECTION_IDS, build_report, figure

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

#: figures (<img> or <svg>) each section must carry in the full report
EXPECTED_FIGURES = {
    "findings": 0,
    "catalog": 0,
    "sources": 0,
    # sites: reachable inclinations per site
    "stations": 2,  # plane angle over the node cycle, station porkchop
    "sites": 1,
    "windows": 0,
    "lunar": 2,  # transfer families, lunar porkchop
    "timeline": 1,
}


class _Sections(HTMLParser):
    """Collects, per <section id>, its figures, table rows, links and asset references."""

    def __init__(self):
        super().__init__()
        self.stack, self.sections, self.assets, self.ids = [], {}, [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "section":
            self.stack.append(a.get("id"))
            self.sections[a.get("id")] = {"figures": 0, "rows": 0, "refs": [], "text": []}
        cur = self.sections.get(self.stack[-1]) if self.stack else None
        if tag in ("img", "svg") and cur is not None:
            cur["figures"] += 1
        if tag == "tr" and cur is not None:
            cur["rows"] += 1
        if tag == "a" and cur is not None and a.get("href", "").startswith("#src-"):
            cur["refs"].append(a["href"][1:])
        for key in ("src", "data", "poster"):
            if key in a:
                self.assets.append(a[key])
        if tag == "link" and "href" in a:
            self.assets.append(a["href"])
        if tag == "script" and "src" in a:
            self.assets.append(a["src"])

    def handle_endtag(self, tag):
        if tag == "section" and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] in self.sections:
            self.sections[self.stack[-1]]["text"].append(data)


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


@pytest.fixture(scope="module")
def report(tmp_path_factory, cat):
    path = build_report(tmp_path_factory.mktemp("report"), catalog=cat, progress=False)
    html = path.read_text(encoding="utf-8")
    parser = _Sections()
    parser.feed(html)
    return path, html, parser


def test_writes_index_html(report):
    path, html, _ = report
    assert path.name == "index.html"
    assert html.lstrip().startswith("<!DOCTYPE html>")


def test_findings_first_then_analyses_catalog_and_sources_last(report):
    _, _, p = report
    assert list(p.sections) == list(SECTION_IDS)
    assert SECTION_IDS[0] == "findings"
    assert SECTION_IDS[-2:] == ("catalog", "sources")


def test_every_section_and_its_figures(report):
    _, _, p = report
    assert list(p.sections) == list(SECTION_IDS)
    for sid, n in EXPECTED_FIGURES.items():
        assert p.sections[sid]["figures"] == n, sid


def test_no_external_assets(report):
    _, html, p = report
    assert p.assets, "figures are embedded as <img src=data:...>"
    for a in p.assets:
        assert a.startswith("data:image/"), a[:80]
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "<script" not in html and "<link" not in html


def _source_items(html):
    return [(int(n), unescape(re.sub(r"<[^>]+>", "", body)).strip())
            for n, body in re.findall(r'<li id="src-(\d+)"[^>]*>(.*?)</li>', html, flags=re.DOTALL)]


def test_catalog_rows_and_sources_resolve(report, cat):
    _, html, p = report
    # a header row plus one row per mission
    assert p.sections["catalog"]["rows"] == len(cat.missions) + 1
    refs = {r for sec in p.sections.values() for r in sec["refs"]}
    assert refs and refs <= p.ids
    numbers = [n for n, _ in _source_items(html)]
    assert numbers == list(range(1, len(numbers) + 1))  # numbered in order, no gaps


def test_seed_sources_quote_the_seed_text_verbatim(report):
    """Each seed citation in the list quotes a sentence found in that file of seeds/."""
    _, html, _ = report
    seeds = [(n, t) for n, t in _source_items(html) if t.startswith("seed ")]
    assert seeds
    for n, text in seeds:
        m = re.match(r"seed (\S+): \u201c(.*)\u201d", text, flags=re.DOTALL)
        assert m, text
        seed_text = " ".join((SEEDS / m.group(1)).read_text(encoding="utf-8").split())
        assert " ".join(m.group(2).split()) in seed_text, (n, m.group(2)[:60])


def test_station_numbers_in_text(report):
    _, _, p = report
    text = " ".join(p.sections["stations"]["text"])
    # |51.6381 - 41.4681| and 51.6381 + 41.4681 from seeds/authorities/stations-2024-05-09.tle
    assert "10.17" in text and "93.11" in text


def test_findings_quote_the_headline_numbers(report):
    """The findings lead with the plane-angle range, the lunar budgets and the slips."""
    _, _, p = report
    text = " ".join(" ".join(p.sections["findings"]["text"]).split())
    # |51.6381 - 41.4681| and 51.6381 + 41.4681 deg (seeds/authorities/stations-2024-05-09.tle)
    assert "10.17°" in text and "93.11°" in text
    # Luna-25's first announced date 2019 and launch 2023-08-10 are catalog facts; the lead
    # names what moved in the plans and the dog-leg sites
    assert "slipped" in text and "dog-leg" in text and "Baikonur" in text
    assert "Lunar budgets" in text and "Luna-25" in text


def test_no_build_time_lines(report):
    _, html, _ = report
    text = unescape(re.sub(r"<[^>]+>", " ", html)).casefold()
    assert "build time" not in text and "<footer" not in html
    assert "generated" not in text  # no wall-clock stamp: the page states its analysis date
    # the epoch of the station TLEs, seeds/authorities/stations-2024-05-09.tle (2024-05-09)
    assert "analysis date 2024-05-09" in " ".join(text.split())


def _page_tables(html):
    """{table id: (header cells, body rows of cell texts)} from the page."""
    out = {}
    for tid, body in re.findall(r'<table id="table-([^"]+)"[^>]*>(.*?)</table>', html, flags=re.DOTALL):
        head = [unescape(c) for c in re.findall(r"<th>(.*?)</th>", body.split("</thead>")[0])]
        rows = []
        for tr in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], flags=re.DOTALL):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.DOTALL)
            rows.append([unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
        out[tid] = (head, rows)
    return out


def _agrees(page: str, full: str) -> bool:
    """The page's rounded cell is the file's full value rounded (or the same text)."""
    if page == full:
        return True
    try:
        p, f = float(page), float(full)
    except ValueError:
        return page == full[:16].replace("T", " ") or (full in ("True", "False") and page in ("yes", "no"))
    digits = page.split("e")[0]
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return abs(p - f) <= 0.5 * 10 ** -decimals * (1 + 1e-9) + 1e-12 or abs(p - f) <= abs(f) * 5e-4


def test_every_table_has_csv_and_json_that_agree_with_the_page(report):
    path, html, _ = report
    tables = _page_tables(html)
    assert "findings" in tables and "stations-plane-angles" in tables
    data = path.parent / "data"
    assert sorted(p.name for p in data.iterdir()) == sorted(
        [f"{t}.csv" for t in tables] + [f"{t}.json" for t in tables])
    for tid, (head, rows) in tables.items():
        assert f'href="data/{tid}.csv"' in html and f'href="data/{tid}.json"' in html
        with open(data / f"{tid}.csv", encoding="utf-8") as fh:
            got = list(csv.reader(fh))
        js = json.loads((data / f"{tid}.json").read_text(encoding="utf-8"))
        assert got[0] == js["columns"] == head[: len(got[0])], tid
        assert len(got) - 1 == len(rows) == len(js["rows"]), tid
        for page_row, file_row, js_row in zip(rows, got[1:], js["rows"]):
            for page, full, col in zip(page_row, file_row, got[0]):
                assert _agrees(page, full), (tid, col, page, full)
                jv = js_row[col]
                if isinstance(jv, float):
                    assert jv == float(full), (tid, col)


def test_plane_angle_table_keeps_every_digit(report):
    path, _, _ = report
    with open(path.parent / "data" / "stations-plane-angles.csv", encoding="utf-8") as fh:
        rows = {r["quantity"]: r for r in csv.DictReader(fh)}
    # 51.6381 + 41.4681 deg: the largest angle between the planes (TLE line-2 inclinations,
    # seeds/authorities/stations-2024-05-09.tle), every digit
    row = rows.get("max plane angle") or rows["largest plane angle"]  # dict key or Result label
    assert float(row["value"]) == pytest.approx(93.1062, abs=1e-9)
    assert row["unit"] == "deg"


def test_missions_narrow_the_report(tmp_path, cat):
    path = build_report(tmp_path, missions=["Luna-25", "CE-6"], catalog=cat, progress=False)
    p = _Sections()
    p.feed(path.read_text(encoding="utf-8"))
    assert list(p.sections) == list(SECTION_IDS)
    assert p.sections["catalog"]["rows"] == 3
    text = " ".join(p.sections["catalog"]["text"])
    assert "Luna-25" in text and "Chang'e-6" in text and "Luna-26" not in text
    assert "Fewer than two" in " ".join(p.sections["stations"]["text"])


def test_bad_selection(tmp_path, cat):
    with pytest.raises(KeyError, match="did you mean"):
        build_report(tmp_path, missions=["Lnua-25"], catalog=cat, progress=False)
    with pytest.raises(TypeError, match="list of names"):
        build_report(tmp_path, missions="Luna-25", catalog=cat, progress=False)
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(ValueError, match="directory"):
        build_report(f, catalog=cat, progress=False)


def test_figure_names(cat):
    assert set(FIGURE_NAMES) >= {"sites", "plane-angle", "timeline", "transfer-families", "porkchop"}
    with pytest.raises(ValueError, match="did you mean 'plane-angle'"):
        figure("plane angel", catalog=cat)


def test_names_of_one_mission_are_merged(tmp_path, cat):
    """Three spellings of Luna-25 are one record: listed once."""
    path = build_report(tmp_path, missions=["Luna-25", "luna 25", "LUNA25"], catalog=cat, progress=False)
    p = _Sections()
    p.feed(path.read_text(encoding="utf-8"))
    assert p.sections["catalog"]["rows"] == 2  # header + one row
