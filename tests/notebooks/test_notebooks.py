"""Every notebook in notebooks/ runs top to bottom in a real Jupyter kernel, and its prose
states no figure its outputs do not back.

Each notebook is executed with nbclient in the "python3" kernel (the Python running the tests),
with notebooks/ as the working directory and the repository root first on the kernel's
PYTHONPATH, so the kernel imports this checkout's ``missions`` and ``orbits`` (checked: the
test runs one extra cell that prints ``missions.__file__``). A failing cell fails the test with
that cell's source and error. Notebooks are found by glob, so new ones are tested without
editing this file.

Then :func:`prose_contradictions` reads every markdown cell of the executed notebook: a figure
(a number with a unit: 1.4 km/s, 317 days, 10.2°, 4 %) must be backed by an output of the
notebook, so prose cannot go on saying "about 1.9 km/s" when the cell above prints 1.361 km/s.
Numbers in the prose should come from the computation (``display(Markdown(f"..."))``);
verbatim quotes go in blockquotes, which are not checked.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
CELL_TIMEOUT = 120  # seconds per cell

_WHERE = "import missions, orbits; print(missions.__file__); print(orbits.__file__)"


def test_the_stories_are_there():
    names = {p.name for p in NOTEBOOKS}
    assert {"catalog_tour.ipynb", "cooperation_story.ipynb", "joint_missions.ipynb",
            "lunar_transfers.ipynb", "station_inclinations.ipynb"} <= names


def _execute(path, monkeypatch):
    """The notebook at ``path`` executed in a python3 kernel that imports this checkout."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    # The kernel inherits the environment: the repository root first, ahead of any installed
    # (e.g. editable, pointing at another checkout) copy of the packages.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(_WHERE))
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail(f"{path.name}: a cell failed\n{exc}", pytrace=False)
    where = nb.cells.pop(0).outputs[0]["text"].split()
    assert [Path(p).resolve() for p in where] == [
        ROOT / "missions" / "__init__.py", ROOT / "orbits" / "__init__.py"], where
    return nb


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes_and_its_prose_matches_its_numbers(path, monkeypatch):
    nb = _execute(path, monkeypatch)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.get("execution_count") for c in code if c.source.strip())
    bad = prose_contradictions(nb, path.name)
    assert not bad, (f"{path.name}: figures in the markdown that no output backs "
                     "(compute them, print them, or quote them in a blockquote):\n"
                     + "\n".join(bad))


# --- prose that cannot contradict the numbers ---------------------------------------------------

#: Figures the prose may state without a cell printing them: published facts, each with its
#: source, keyed by (notebook, the figure as written). Keep it short: prefer printing the fact.
SOURCED_FIGURES: dict[tuple[str, str], str] = {}

#: Unit spellings -> (dimension, factor to the dimension's base unit). Longer spellings first
#: in the patterns below, so "km / s" is a speed, not a length, and "deg / d" is not an angle.
_UNITS = {
    "°": ("angle", 1.0), "deg": ("angle", 1.0), "degree": ("angle", 1.0),
    "degrees": ("angle", 1.0),
    "km/s": ("speed", 1000.0), "m/s": ("speed", 1.0),
    "km": ("length", 1.0),
    "kg": ("mass", 1.0),
    "d": ("time", 86400.0), "day": ("time", 86400.0), "days": ("time", 86400.0),
    "h": ("time", 3600.0), "hr": ("time", 3600.0), "hour": ("time", 3600.0),
    "hours": ("time", 3600.0),
    "min": ("time", 60.0), "minute": ("time", 60.0), "minutes": ("time", 60.0),
    "s": ("time", 1.0), "yr": ("time", 365.25 * 86400.0),
    "%": ("fraction", 1.0), "percent": ("fraction", 1.0),
}
#: Compound units an output may print that must not be read as their first part.
_OTHER_UNITS = ("deg/d", "deg/day", "km2/s2", "km^2/s^2", "km3/s2", "m/s2", "km/s2")

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
#: A figure in markdown: a number (or a range "51.6–51.7") followed by a unit, optionally
#: hyphenated ("48-hour"). Not preceded by a letter, digit, dot or hyphen (J2, Luna-25, 1.2.3).
_FIGURE = re.compile(
    rf"(?<![\w.\-])(?:(?P<lo>{_NUM})\s?[–-]\s?)?(?P<num>{_NUM})[ \u00a0\u202f-]?"
    r"(?P<unit>°|deg\b|degrees?\b|km/s\b|m/s\b|km\b|kg\b|days?\b|d\b|hours?\b|h\b|"
    r"minutes?\b|min\b|%|percent\b)"
)
_OUT_UNIT = "|".join(re.escape(x) for x in sorted(
    list(_UNITS) + list(_OTHER_UNITS), key=len, reverse=True))
#: A number with a unit in an output (units as astropy prints them: "km / s", "deg").
_OUT_FIGURE = re.compile(
    rf"(?<![\w.])-?(?P<num>{_NUM}(?:[eE][+-]?\d+)?)\s?(?P<unit>{_OUT_UNIT})(?![\w/^])")
_OUT_NUMBER = re.compile(rf"(?<![\w.])-?({_NUM}(?:[eE][+-]?\d+)?)")


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _compact_units(text: str) -> str:
    """"km / s" -> "km/s", "deg / d" -> "deg/d": one spelling per unit."""
    return re.sub(r"(?<=[a-z0-9°])\s*/\s*(?=[a-z])", "/", text)


def _strip_unchecked(text: str) -> str:
    """Markdown without blockquotes (verbatim quotes), code fences, inline code and math."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]*\$", " ", text, flags=re.S)
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))


class _Tables(HTMLParser):
    """HTML to text in which a table cell holding a bare number carries its unit, taken from
    its row header ("inclination (deg)"), its column header ("x (km)") or an astropy units
    row, so "10.17" under "plane angle (deg)" reads "10.17 deg"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.rows: list[list[tuple[str, str, int]]] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.rows = []
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            span = dict(attrs).get("colspan") or "1"
            self.cell = []
            self.rows[-1].append((tag, "", int(span) if span.isdigit() else 1))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.rows:
            t, _, span = self.rows[-1][-1]
            self.rows[-1][-1] = (t, " ".join("".join(self.cell).split()), span)
            self.cell = None
        elif tag == "table" and self.rows is not None:
            self.parts.extend(_table_lines(self.rows))
            self.rows = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        elif self.rows is None:
            self.parts.append(data)


def _unit_of_header(text: str) -> str | None:
    text = _compact_units(text.strip())
    m = re.search(r"\(([^()]*)\)\s*$", text)
    cand = m.group(1).strip() if m else text
    return cand if cand in _UNITS or cand in _OTHER_UNITS else None


def _table_lines(rows):
    col_units: dict[int, str] = {}
    lines = []
    for row in rows:
        cols, pos = [], 0
        for cell in row:
            cols.append((pos, *cell))
            pos += cell[2]
        if row and all(tag == "th" for tag, _, _ in row):  # a header or an astropy units row
            for p, _, text, _ in cols:
                unit = _unit_of_header(text)
                if unit:
                    col_units[p] = unit
            lines.append(" ".join(text for _, _, text, _ in cols))
            continue
        row_unit = next((_unit_of_header(text) for _, tag, text, _ in cols if tag == "th"), None)
        out = []
        for p, tag, text, _ in cols:
            unit = row_unit or col_units.get(p)
            if tag == "td" and unit and re.fullmatch(rf"-?(?:{_NUM})(?:[eE][+-]?\d+)?", text):
                text = f"{text} {unit}"
            out.append(text)
        lines.append(" | ".join(out))
    return lines


def output_text(nb) -> str:
    """Everything the executed notebook's code cells show: streams, text/plain, markdown and
    HTML displays (tables with their units attached to each number)."""
    texts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                texts.append(out.get("text", ""))
            data = out.get("data", {})
            for key in ("text/plain", "text/markdown", "text/latex"):
                val = data.get(key)
                if val:
                    texts.append(val if isinstance(val, str) else "".join(val))
            val = data.get("text/html")
            if val:
                parser = _Tables()
                parser.feed(val if isinstance(val, str) else "".join(val))
                parser.close()
                texts.append("\n".join(parser.parts))
    return _compact_units("\n".join(texts))


def _printed(nb):
    """(numbers with a unit as (dimension, value in base unit), all printed numbers)."""
    text = output_text(nb)
    with_unit = []
    for m in _OUT_FIGURE.finditer(text):
        if m.group("unit") in _UNITS:
            dim, factor = _UNITS[m.group("unit")]
            with_unit.append((dim, abs(_number(m.group("num"))) * factor))
    plain = [abs(_number(x)) for x in _OUT_NUMBER.findall(text)]
    return with_unit, plain


def _significant_digits(text: str) -> int:
    digits = text.replace(",", "")
    if "." in digits:
        return len(digits.replace(".", "").lstrip("0"))
    return len(digits.lstrip("0").rstrip("0")) or 1


def figures(markdown: str):
    """The figures a markdown text states, as (text as written, number text, unit)."""
    out = []
    for m in _FIGURE.finditer(_compact_units(_strip_unchecked(markdown))):
        unit = m.group("unit")
        for num in (m.group("lo"), m.group("num")):
            if num:
                out.append((m.group(0), num, unit))
    return out


def is_backed(num: str, unit: str, with_unit, plain) -> bool:
    """Whether a figure ``num unit`` is backed: an output shows a number in the same
    dimension that, in the figure's unit, rounds to it at the figure's precision; or the
    figure has three or more significant digits and any printed number rounds to it."""
    decimals = len(num.split(".")[1]) if "." in num else 0
    value = _number(num)
    half = 0.5 * 10.0**-decimals
    dim, factor = _UNITS[unit]
    for d, base in with_unit:
        if d == dim and abs(base / factor - value) <= half * (1 + 1e-9) + 1e-12:
            return True
    if _significant_digits(num) >= 3:
        return any(abs(x - value) <= half * (1 + 1e-9) + 1e-12 for x in plain)
    return False


def prose_contradictions(nb, name: str) -> list[str]:
    """Figures in the notebook's markdown cells that no output of its code cells backs
    (see :func:`is_backed`); blockquotes, code and math are not read, and
    :data:`SOURCED_FIGURES` lists the published facts the prose may state as they are."""
    with_unit, plain = _printed(nb)
    bad = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for written, num, unit in figures(cell.source):
            if (name, written) in SOURCED_FIGURES:
                continue
            if not is_backed(num, unit, with_unit, plain):
                first = " ".join(cell.source.split())[:70]
                bad.append(f"cell {i}: {written!r} (in {first!r}...)")
    return bad


# --- the checker on tiny synthetic notebooks ---------------------------------------------------


def _notebook(markdown: str, printed: str = "", html: str | None = None):
    import nbformat

    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("print(...)")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)]
    if html is not None:
        code.outputs.append(nbformat.v4.new_output(
            "execute_result", data={"text/html": html, "text/plain": "<Result>"},
            execution_count=1))
    nb.cells = [nbformat.v4.new_markdown_cell(markdown), code]
    return nb


def test_prose_contradicting_its_output_is_flagged():
    # the bug of issue 8: prose "about 1.9 km/s" under a cell printing 1.41 km/s
    assert prose_contradictions(_notebook("costs about 1.9 km/s", "dv 1.41 km/s"), "x")
    assert prose_contradictions(_notebook("every ~317 days", "cycle 313.7 d"), "x")
    # a figure with few significant digits needs its unit: a bare 10.17 does not back 10°
    assert prose_contradictions(_notebook("apart by 10°", "ratio 10.17"), "x")
    # ... nor does a number in another dimension
    assert prose_contradictions(_notebook("about 1.4 km/s", "angle 1.41 deg"), "x")
    # both ends of a range are figures
    assert prose_contradictions(_notebook("inclined 51.6–52.7°", "i = 51.64 deg"), "x")


def test_prose_that_its_output_backs_passes():
    assert prose_contradictions(_notebook("costs about 1.4 km/s", "dv 1.41 km/s"), "x") == []
    # astropy's spelling, another unit of the same dimension
    nb = _notebook("1.4 km/s, 585 m/s", "1.41 km / s, 0.585 km / s")
    assert prose_contradictions(nb, "x") == []
    nb = _notebook("every ~314 days, 10.2 days", "cycle 313.7 d, 10.17")
    assert prose_contradictions(nb, "x") == []
    # a unit in an HTML table's row header or column header backs the cells' numbers
    html = ("<table><tr><th>inclination (deg)</th><td>51.64</td><td>41.47</td></tr></table>"
            "<table><tr><th>x (km)</th><th>speed (km / s)</th></tr>"
            "<tr><td>13000</td><td>7.7</td></tr></table>")
    nb = _notebook("51.6° and 41°; 13,000 km at 7.7 km/s", html=html)
    assert prose_contradictions(nb, "x") == []


def test_quotes_code_and_math_are_not_read():
    md = ("> a quote: 99 km/s\n\n`orbit(200 km)` and\n```\n5 kg\n```\n"
          "$\\Delta v = 2 v \\sin(45°)$; Luna-25, J2 and 3D are names")
    assert prose_contradictions(_notebook(md, ""), "x") == []


def test_sourced_figures_need_an_entry():
    nb = _notebook("a sidereal month of 27.3 days", "")
    assert prose_contradictions(nb, "x")
    SOURCED_FIGURES[("x", "27.3 days")] = "Curtis, Table A.1 (27.321661 d)"
    try:
        assert prose_contradictions(nb, "x") == []
    finally:
        del SOURCED_FIGURES[("x", "27.3 days")]


def test_a_compound_unit_in_output_is_not_its_first_part():
    # "1.15 deg / d" is a rate: it must not back a prose angle of 1.2°
    assert prose_contradictions(_notebook("drifts 1.2° apart", "rate 1.15 deg / d"), "x")
    assert prose_contradictions(_notebook("drifts 1.2° apart", "rate 1.15 deg"), "x") == []
