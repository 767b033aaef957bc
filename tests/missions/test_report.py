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
from orbits.errors import StaleInputWarning

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
#: the raw element-set history (real ISS and Tianhe TLEs, provenance in PROVENANCE.md there)
TLE_HISTORY = SEEDS / "authorities" / "tle-history"
#: the analysis date of the shared report
AT = "2025-11-20"


def _raw_sets(path):
    """(name, epoch as datetime UTC, inclination deg, the three lines) of every set in a TLE
    file, read straight from the columns of the TLE format (line 1 cols 19-32: epoch as
    YYDDD.DDDDDDDD; line 2 cols 9-16: inclination), not through the toolkit."""
    from datetime import datetime, timedelta, timezone

    lines = [ln.rstrip() for ln in Path(path).read_text(encoding="ascii").splitlines() if ln.strip()]
    out = []
    for k in range(0, len(lines), 3):
        name, l1, l2 = lines[k:k + 3]
        yy, day = int(l1[18:20]), float(l1[20:32])
        year = 2000 + yy if yy < 57 else 1900 + yy
        epoch = datetime(year, 1, 1, tzinfo=timezone.utc) + timedelta(days=day - 1)
        out.append((name, epoch, float(l2[8:16]), (name, l1, l2)))
    return out


def _nearest(path, when):
    """The raw set of ``path`` whose epoch is nearest ``when`` (an ISO date)."""
    from datetime import datetime, timezone

    t = datetime.fromisoformat(when).replace(tzinfo=timezone.utc)
    return min(_raw_sets(path), key=lambda s: abs((s[1] - t).total_seconds()))


ISS_FILE = TLE_HISTORY / "iss-25544.tle"
TIANHE_FILE = TLE_HISTORY / "tianhe-48274.tle"

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
    "south-pole": 1,  # the polar sites' map and their Sun/Earth elevation
    "moon-mars": 1,  # the 2020 Mars window with Tianwen-1
    "docking": 1,  # the mechanism matrix
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


@pytest.fixture(scope="module", autouse=True)
def no_user_cache(tmp_path_factory):
    """Only the packaged history: an empty user data directory (no cached downloads)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MISSION_COMPARE_DATA", str(tmp_path_factory.mktemp("data")))
        yield


@pytest.fixture(scope="module")
def report(tmp_path_factory, cat):
    with pytest.warns(StaleInputWarning):  # Tianhe's nearest set is 18 days old (below)
        path = build_report(tmp_path_factory.mktemp("report"), catalog=cat, progress=False,
                            at=AT)
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


def _plane_range(when):
    """|i1 - i2| and i1 + i2 (deg) of the raw ISS and Tianhe sets nearest ``when``."""
    i1, i2 = _nearest(ISS_FILE, when)[2], _nearest(TIANHE_FILE, when)[2]
    return abs(i1 - i2), i1 + i2


def test_station_numbers_in_text(report):
    _, _, p = report
    text = " ".join(p.sections["stations"]["text"])
    # the bounds of the plane angle from the line-2 inclinations of the sets nearest the
    # analysis date in seeds/authorities/tle-history/ (read by _raw_sets)
    lo, hi = _plane_range(AT)
    assert f"{lo:.2f}" in text and f"{hi:.2f}" in text


def test_findings_quote_the_headline_numbers(report):
    """The findings lead with the plane-angle range, the lunar budgets and the slips."""
    _, _, p = report
    text = " ".join(" ".join(p.sections["findings"]["text"]).split())
    # |i1 - i2| and i1 + i2 of the raw sets nearest the analysis date (seeds/authorities/
    # tle-history/)
    lo, hi = _plane_range(AT)
    assert f"{lo:.2f}°" in text and f"{hi:.2f}°" in text
    # Luna-25's first announced date 2019 and launch 2023-08-10 are catalog facts; the lead
    # names what moved in the plans and the dog-leg sites
    assert "slipped" in text and "dog-leg" in text and "Baikonur" in text
    assert "Lunar budgets" in text and "Luna-25" in text


def test_no_build_time_lines(report):
    _, html, _ = report
    text = unescape(re.sub(r"<[^>]+>", " ", html)).casefold()
    assert "build time" not in text and "<footer" not in html
    assert "generated" not in text  # no wall-clock stamp: the page states its analysis date
    assert f"analysis date {AT}" in " ".join(text.split())


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
    # i1 + i2: the largest angle between the planes (line-2 inclinations of the raw sets
    # nearest the analysis date, seeds/authorities/tle-history/), every digit
    row = rows["largest plane angle"]
    assert float(row["value"]) == pytest.approx(_plane_range(AT)[1], abs=1e-9)
    assert row["unit"] == "deg"


def test_missions_narrow_the_report(tmp_path, cat):
    with pytest.warns(StaleInputWarning):  # the compatibility table's stations (Tianhe 18 d)
        path = build_report(tmp_path, missions=["Luna-25", "CE-6"], catalog=cat, progress=False,
                            at=AT)
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
    with pytest.warns(StaleInputWarning):  # the compatibility table's stations (Tianhe 18 d)
        path = build_report(tmp_path, missions=["Luna-25", "luna 25", "LUNA25"], catalog=cat,
                            progress=False, at=AT)
    p = _Sections()
    p.feed(path.read_text(encoding="utf-8"))
    assert p.sections["catalog"]["rows"] == 2  # header + one row


# --- the analysis date, the element sets used and the stale-elements banner (issue 9) ----------


def _header(html):
    return html[html.index("<header>"):html.index("</header>")]


def _banner(html):
    m = re.search(r'<div class="warning-banner"[^>]*>(.*?)</div>', _header(html), flags=re.DOTALL)
    return None if m is None else " ".join(unescape(re.sub(r"<[^>]+>", " ", m.group(1))).split())


def _element_rows(html):
    body = re.search(r'<table id="element-sets"[^>]*>(.*?)</table>', html, flags=re.DOTALL).group(1)
    return [[unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td>(.*?)</td>", tr)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], flags=re.DOTALL)]


def test_header_states_the_analysis_date_and_the_nearest_element_sets(report):
    """At 2025-11-20 the nearest raw sets (seeds/authorities/tle-history/, read by _raw_sets)
    are the ISS's of 2025-12-02 and Tianhe's of 2025-11-01: the header names each with its
    epoch and its age from the analysis date; Tianhe's (18 days) is stale, so the banner
    shows, naming it and not the ISS."""
    from datetime import datetime, timezone

    _, html, _ = report
    head = " ".join(unescape(re.sub(r"<[^>]+>", " ", _header(html))).split())
    assert f"Analysis date {AT} 00:00 UTC" in head
    rows = {r[0]: r for r in _element_rows(html)}
    t = datetime.fromisoformat(AT).replace(tzinfo=timezone.utc)
    for path in (ISS_FILE, TIANHE_FILE):
        name, epoch, _, _ = _nearest(path, AT)
        obj, ep, age, src = rows[name]
        assert ep == epoch.strftime("%Y-%m-%d %H:%M"), name
        days = (t - epoch).total_seconds() / 86400
        assert age == f"{abs(days):.1f} days {'before' if days >= 0 else 'after'} the analysis date"
        assert src == path.name  # the packaged copy of the seed file, byte for byte
    banner = _banner(html)
    assert banner is not None and "CSS (TIANHE)" in banner and "ISS (ZARYA)" not in banner


def test_old_elements_show_the_warning_banner(tmp_path, cat):
    """On 2026-12-01 the newest raw sets (2026-10-10, seeds/authorities/tle-history/) are
    about 52 days old: each station's warning is on the page in a banner at the top."""
    from datetime import datetime, timezone

    at = "2026-12-01"
    with pytest.warns(StaleInputWarning) as rec:
        path = build_report(tmp_path, missions=["ISS", "Chinese space station"], catalog=cat,
                            progress=False, at=at)
    html = path.read_text(encoding="utf-8")
    banner = _banner(html)
    assert banner is not None
    assert html.index('class="warning-banner"') < html.index("<main>")
    messages = {str(w.message) for w in rec if issubclass(w.category, StaleInputWarning)}
    assert len(messages) == 2
    for msg in messages:
        assert " ".join(msg.split()) in banner
    t = datetime.fromisoformat(at).replace(tzinfo=timezone.utc)
    for path_, name in ((ISS_FILE, "ISS (ZARYA)"), (TIANHE_FILE, "CSS (TIANHE)")):
        epoch = _nearest(path_, at)[1]
        assert f"{(t - epoch).total_seconds() / 86400:.1f} days" in banner and name in banner


def test_fresh_elements_file_shows_no_banner(tmp_path, cat):
    """The October 2026 sets of seeds/authorities/tle-history/ passed as elements= and an
    analysis date five days after the newest (2026-10-10): no banner, no warning, and the
    header names the user's file as the source of the sets."""
    import warnings

    fresh = tmp_path / "fresh-2026-10.tle"
    sets = [s for f in (ISS_FILE, TIANHE_FILE) for s in _raw_sets(f)
            if s[1].year == 2026 and s[1].month == 10]
    assert {s[0] for s in sets} == {"ISS (ZARYA)", "CSS (TIANHE)"}
    fresh.write_text("".join("\n".join(s[3]) + "\n" for s in sets), encoding="ascii")
    with warnings.catch_warnings():
        warnings.simplefilter("error", StaleInputWarning)
        path = build_report(tmp_path / "r", missions=["ISS", "Chinese space station"],
                            catalog=cat, progress=False, at="2026-10-15", elements=fresh)
    html = path.read_text(encoding="utf-8")
    assert _banner(html) is None and 'class="warning-banner"' not in html
    rows = _element_rows(html)
    assert {r[0] for r in rows} == {"ISS (ZARYA)", "CSS (TIANHE)"}
    assert all(r[3] == fresh.name for r in rows)
    assert all(r[1].startswith("2026-10-10") for r in rows)  # the newest set of each
