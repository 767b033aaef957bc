"""The timeline chart and tables, checked against the catalog's own TOML text.

The expected announcements are read straight from missions/data/*.toml with tomllib (not
through the catalog loader), so a record lost or duplicated on the way shows up here.
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from missions import load_catalog
from missions.timeline import slip_table, timeline_figure, timeline_table
from orbits.plots.style import agency_color

DATA = Path(__file__).resolve().parents[2] / "missions" / "data"


def _raw_mission(key):
    for f in sorted(DATA.glob("*.toml")):
        for rec in tomllib.loads(f.read_text(encoding="utf-8")).get("mission", []):
            if rec.get("key") == key:
                return rec
    raise AssertionError(f"no mission {key!r} in {DATA}")


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


@pytest.fixture(scope="module")
def fig(cat):
    return timeline_figure(catalog=cat)


def _gids(fig, prefix):
    return [ln for ln in fig.axes[0].lines if (ln.get_gid() or "").startswith(prefix)]


def test_one_marker_per_announced_date_for_luna25(fig):
    raw = _raw_mission("luna-25")
    announced = raw.get("announced", [])
    assert len(announced) >= 3  # the decade of slips: several statements
    lines = _gids(fig, "luna-25:announced:")
    assert len(lines) == len(announced)
    # each segment ends at a planned date named in the TOML (dot at the end)
    ends = sorted(round(ln.get_xdata()[1], 6) for ln in lines)
    cat_ends = sorted(round(a.planned.decimal_year, 6) for a in load_catalog()["luna-25"].announced)
    assert ends == cat_ends
    assert {str(a["planned"]) for a in announced} == {a.planned.text for a in load_catalog()["luna-25"].announced}


def test_launch_marker_in_agency_colour(fig):
    launch = _gids(fig, "luna-25:launch")
    assert len(launch) == 1
    assert to_hex(launch[0].get_color()) == to_hex(agency_color("Roscosmos"))
    ce = _gids(fig, "change-5:launch")
    assert len(ce) == 1 and to_hex(ce[0].get_color()) == to_hex(agency_color("CNSA"))
    # a failed launch is drawn as a cross, a flown one as a star
    assert launch[0].get_marker() == "X" and ce[0].get_marker() == "*"


def test_figure_is_a_styled_figure_with_a_source_note(fig):
    assert isinstance(fig, Figure)
    assert any(t.get_text().startswith("Source:") for t in fig.texts)
    assert fig.axes[0].get_xlabel() == "date (year)"


def test_timeline_table_rows_per_announcement(cat):
    t = timeline_table(["Luna-25"], catalog=cat)
    raw = _raw_mission("luna-25")
    assert len(t) == len(raw["announced"]) + 1  # plus the launch
    assert list(t["kind"]).count("launch") == 1
    assert set(t["source"]) <= set(cat.sources)


def test_slip_of_luna25_from_its_first_announced_date(cat):
    raw = _raw_mission("luna-25")
    first = min(raw["announced"], key=lambda a: str(a["announced"]))
    launch = datetime.fromisoformat(raw["launch"]["date"])
    # decimal years: "YYYY" means mid-year, as the catalog's MissionDate does
    planned = str(first["planned"])
    if len(planned) == 4:
        p_year = int(planned) + 0.5
    else:
        d = datetime.fromisoformat(planned + ("-15" if len(planned) == 7 else ""))
        p_year = d.year + (d - datetime(d.year, 1, 1)).days / 365.25
    l_year = launch.year + (launch - datetime(launch.year, 1, 1)).total_seconds() / (365.25 * 86400)
    t = slip_table(["Luna-25"], catalog=cat)
    assert len(t) == 1
    assert t["slip"][0].value == pytest.approx(l_year - p_year, abs=0.05)
    assert t["announcements"][0] == len(raw["announced"])


def test_unknown_mission_suggests(cat):
    with pytest.raises(KeyError, match="did you mean"):
        timeline_figure(["Lnua-25"], catalog=cat)


def test_duplicate_names_give_one_row_per_mission(cat):
    raw = _raw_mission("luna-25")
    t = timeline_table(["Luna-25", "luna 25", "LUNA25"], catalog=cat)
    assert len(t) == len(raw["announced"]) + 1  # as for "Luna-25" alone
    assert len(slip_table("Luna-25,Луна-25", catalog=cat)) == 1


def test_proposed_and_planned_dates_are_plans_not_launches(cat):
    # Chang'e-8 "around 2028" (CGTN 2023-04-25) is a plan, not a launch
    t = timeline_table(["Chang'e-8"], cat)
    kinds = [str(k) for k, m in zip(t["kind"], t["mission"]) if m == "Chang'e-8"]
    assert "current plan (planned)" in kinds and "launch" not in kinds
    from missions.timeline import STATUS_MARKERS
    from missions.records import STATUSES

    assert set(STATUSES) <= set(STATUS_MARKERS)  # every status, "proposed" included, has a marker
