"""The named figures: registry, display names, the result adapter, porkchop inputs, date marks."""

from __future__ import annotations

import numpy as np
import pytest
from astropy import units as u
from astropy.table import QTable
from astropy.time import Time

from missions import load_catalog
from missions.figures import (
    FIGURE_NAMES,
    as_table,
    display_name,
    figure,
    lunar_best_windows,
    porkchop,
    station_subjects,
)
from orbits.errors import ArgumentError, ArgumentTypeError, NotFoundError


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


@pytest.fixture(autouse=True)
def no_user_cache(tmp_path, monkeypatch):
    """Only the packaged element history: an empty user data directory."""
    monkeypatch.setenv("MISSION_COMPARE_DATA", str(tmp_path))


def test_registry_and_unknown_names(cat):
    assert set(FIGURE_NAMES) == {"sites", "plane-angle", "timeline", "transfer-families", "porkchop",
                                 "lunar-porkchop", "orbits-3d", "docking-matrix",
                                 "mars-window", "south-pole-access"}
    with pytest.raises(NotFoundError, match="did you mean 'timeline'"):
        figure("timline", catalog=cat)
    with pytest.raises(ArgumentTypeError, match="must be a string"):
        figure(3, catalog=cat)
    # `mission-compare plot --help` names every figure the registry has
    from click.testing import CliRunner

    from missions.cli import cli

    text = " ".join(CliRunner().invoke(cli, ["plot", "--help"]).output.split())
    assert all(name in text for name in FIGURE_NAMES)


def test_one_display_name_the_catalogs(cat):
    """Stations resolved by any alias are shown by their catalog record's name."""
    subs = station_subjects(cat)
    assert [display_name(s) for s in subs] == [cat["ISS"].name, cat["CSS"].name]


def test_as_table_takes_results_tables_and_dicts():
    from dataclasses import dataclass

    from orbits.results import Result, quantity

    @dataclass(frozen=True, repr=False)
    class Angle(Result):
        angle: u.Quantity = quantity("plane angle", "deg")

    t = QTable({"x": [1.0] * u.km})
    assert as_table(t) is t
    r = as_table(Angle(10.17 * u.deg))
    assert r["plane angle"].unit == u.deg and r["plane angle"][0].value == 10.17
    d = as_table({"min_plane_angle": 10.17 * u.deg, "kind": "two orbits", "notes": ["n"],
                  "a_elements": {"inc": 1}})
    assert d.colnames == ["min_plane_angle", "kind"] and d.meta["notes"] == ["n"]
    with pytest.raises(TypeError, match="Result, a QTable or a dict"):
        as_table(42)


def test_degenerate_porkchop_spans_name_days(cat):
    with pytest.raises(ArgumentError, match=r"days \(--days\) must be at least 1 day.*got 0.1"):
        porkchop(lunar="Luna-25", days=0.1, catalog=cat)
    with pytest.raises(ArgumentError, match=r"days \(--days\).*got 0.01"):
        porkchop(("ISS", "CSS"), days=0.01, catalog=cat)
    with pytest.raises(ArgumentError, match="no launch date.*start"):
        porkchop(lunar="Luna-29", catalog=cat)  # catalog: Luna-29 has no planned date


def test_lunar_best_windows_are_separated():
    """Picked from a synthetic grid whose cheapest cells cluster on consecutive days: the
    windows kept are at least two days apart and cheapest first."""
    from types import SimpleNamespace

    dep = Time("2024-01-01") + np.arange(0, 10, 0.25) * u.day
    tofs = np.array([4.0, 5.0]) * u.day
    total = np.full((dep.size, 2), 5.0)
    total[4:8, 0] = [3.9, 3.8, 3.85, 3.9]  # one opportunity around day 1.25
    total[30, 1] = 3.95  # another at day 7.5
    res = SimpleNamespace(departures=dep, tofs=tofs, ok=np.ones_like(total, bool),
                          total_dv=total * u.km / u.s, tli_dv=total * 0.8 * u.km / u.s,
                          loi_dv=total * 0.2 * u.km / u.s, in_plane=np.ones_like(total, bool))
    best = lunar_best_windows(res, 3)
    assert best["total_dv"][0].to_value(u.km / u.s) == 3.8
    days = (best["departure"] - dep[0]).to_value(u.day)
    assert np.all(np.abs(np.diff(np.sort(days))) >= 2.0)
    assert 7.5 in days


def test_time_axes_mark_the_analysis_date(cat):
    """The plane-angle figure starts on the analysis date and marks it; so does the timeline."""
    fig = figure("plane-angle", catalog=cat, at=Time("2025-11-20"))
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "analysis date 2025-11-20" in texts
    x0 = fig.axes[1].lines[0].get_xdata()[0]  # datetimes: the first point is the analysis date
    assert x0.strftime("%Y-%m-%d %H:%M:%S") == "2025-11-20 00:00:00"
    fig = figure("timeline", catalog=cat, at="2024-05-09")
    assert "analysis date 2024-05-09" in [t.get_text() for ax in fig.axes for t in ax.texts]
    # Luna-25's catalog launch date 2023-08-10: its porkchop searches from a week before, so
    # an analysis date of 2023-08-05 is inside the departure axis (days after 2023-08-03)
    fig = figure("lunar-porkchop", catalog=cat, missions=["Luna-25"], at="2023-08-05")
    ax = fig.axes[0]
    assert "analysis date 2023-08-05" in [t.get_text() for t in ax.texts]
    assert ax.get_xlabel() == "departure [day after 2023-08-03]"
    assert any(list(ln.get_xdata()) == [2.0, 2.0] for ln in ax.lines)


def test_plane_history_takes_the_plane_angle_history_result():
    """orbits.plane_angle_history returns a PlaneAngleHistory result; plane_history draws it,
    its to_table() and a QTable of its fields alike. The drawn angle is bounded by the
    line-2 inclinations of seeds/authorities/stations-2024-05-09.tle: |i1 - i2| and i1 + i2."""
    from matplotlib.figure import Figure

    import orbits
    from orbits.plots.planes import plane_history
    from orbits.precession import PlaneAngleHistory
    from orbits.tle import load_tles

    tles = load_tles()
    iss, css = tles["ISS (ZARYA)"], tles["CSS (TIANHE)"]
    hist = orbits.plane_angle_history(iss, css, iss.epoch + np.linspace(0, 300, 50) * u.day)
    assert isinstance(hist, PlaneAngleHistory)
    as_qtable = QTable({n: getattr(hist, n) for n in ("time", "delta_raan", "plane_angle")})
    for h in (hist, hist.to_table(), as_qtable):
        fig = plane_history(h, labels=("ISS", "CSS"))
        assert isinstance(fig, Figure)
        y = fig.axes[1].lines[0].get_ydata()
        np.testing.assert_allclose(y, hist.plane_angle.to_value(u.deg))
        assert y.min() >= 51.6381 - 41.4681 - 1e-9 and y.max() <= 51.6381 + 41.4681 + 1e-9
    with pytest.raises(ArgumentTypeError, match="PlaneAngleHistory"):
        plane_history(QTable({"x": [1.0]}))


def test_station_figures_use_the_elements_nearest_the_analysis_date(cat):
    """The stations' inclinations drawn on the sites figure are those of the raw sets nearest
    2025-11-20 in seeds/authorities/tle-history/ (ISS of 2025-12-02, Tianhe of 2025-11-01),
    read straight from the files: epoch from line 1, columns 19-32; inclination from line 2,
    columns 9-16."""
    from datetime import datetime, timezone
    from pathlib import Path

    hist_dir = Path(__file__).resolve().parents[2] / "seeds" / "authorities" / "tle-history"
    t = datetime(2025, 11, 20, tzinfo=timezone.utc)
    expected = []
    for f in ("iss-25544.tle", "tianhe-48274.tle"):
        lines = [ln for ln in (hist_dir / f).read_text().splitlines() if ln.strip()]
        best = None
        for k in range(0, len(lines), 3):
            l1, l2 = lines[k + 1], lines[k + 2]
            yy, day = int(l1[18:20]), float(l1[20:32])
            ep = datetime(2000 + yy, 1, 1, tzinfo=timezone.utc).timestamp() + (day - 1) * 86400
            d = abs(ep - t.timestamp())
            if best is None or d < best[0]:
                best = (d, float(l2[8:16]))
        expected.append(best[1])
    fig = figure("sites", catalog=cat, at="2025-11-20")
    ax = fig.axes[0]
    drawn = sorted(ln.get_ydata()[0] for ln in ax.lines if list(ln.get_xdata()) == [0, 1])
    np.testing.assert_allclose(drawn, sorted(expected))
