"""Bad input to the issue-10/11 API and command line: a toolkit error naming the argument.

Each case passes one bad value to one public function (or command-line option) and checks the
error *class* (from :mod:`orbits.errors`; on the command line exit status 2 and one line on
stderr) and that the message names the argument, so that no bad value surfaces as a builtin
``TypeError``/``ValueError``/``AttributeError`` from inside the code, a NaN, a silently empty
result or a hang. Most cases gave one of those before the sweep that added this file (the
commit messages say which: the finite-burn cases hung or failed in the integrator, ``samples``
of a billion ran out of memory); the others guard their neighbours.

No numeric expectation is asserted here: the inputs only need to be invalid. The dates used
to build valid neighbours are the Apollo 11 and Apollo 13 TLI epochs of
seeds/authorities/apollo (see its PROVENANCE.md) and Wenchang's coordinates from the catalog
(missions/data/10_sites.toml).
"""

from __future__ import annotations

import datetime
import re

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time
from click.testing import CliRunner

import orbits
from orbits import cr3bp, launchers, mars
from orbits import lunar as L
from orbits._validation import as_time, as_value
from orbits.errors import (
    ArgumentError,
    ArgumentTypeError,
    DateRangeError,
    UnitError,
    ValidationError,
)

# dates outside DE421 (1890) are inputs here: ERFA's "dubious year" note is not the point
pytestmark = pytest.mark.filterwarnings("ignore::erfa.ErfaWarning")

E = Time("2026-08-01", scale="utc")
SITE = (-88.8 * u.deg, 0 * u.deg)
WENCHANG = (19.614 * u.deg, 110.951 * u.deg)
CE5 = dict(arrival=Time("2020-11-28T12:58", scale="utc"), start="2020-11-23T12:00",
           stop="2020-11-24T12:00", ascent_duration=2200 * u.s, inclination=22 * u.deg)
A13_TLI = Time("1970-04-11T19:54", scale="utc")
A13_FLYBY = Time("1970-04-15T00:21", scale="utc")
FB = dict(thrust=900 * u.kN, isp=421 * u.s, duration=300 * u.s)


def _budget():
    # Apollo 11's TLI epoch and parking orbit (seeds/authorities/apollo)
    return orbits.tli_budget(parking_altitude=185 * u.km, parking_inclination=32.5 * u.deg,
                             tof=3 * u.d, departure=Time("1969-07-16T16:19", scale="utc"))


def _fr3d(**kw):
    return L.free_return_3d(A13_TLI, A13_FLYBY, **kw)


def _direct(*latlon, **kw):
    return L.direct_injection(*(latlon or WENCHANG), **{**CE5, **kw})


def _drift(**kw):
    return L.lunar_node_drift(**{"altitude": 100 * u.km, "inclination": 90 * u.deg,
                                 "epoch": E, **kw})


def _rdv(**kw):
    return L.lunar_rendezvous(*SITE, **{"altitude": 100 * u.km, "inclination": 90 * u.deg,
                                        "landing": E, "stay": 7 * u.d, **kw})


def _spa(**kw):
    return L.south_pole_access({"CE-7": SITE}, **{"start": E, "duration": 1 * u.d,
                                                  "step": 12 * u.h, **kw})


def _catalog():
    import missions

    return missions.load_catalog()


def _missions(name):
    import importlib

    return importlib.import_module(f"missions.{name}")


# (id, call, error class, a regex the message must contain: the argument's name)
API_CASES = [
    # orbits._validation: one-line time errors, dates
    ("as_time month 13", lambda: as_time("2026-13-01", "start"), ArgumentError,
     r"start could not be parsed.*ISO date"),
    ("as_time empty", lambda: as_time("", "start"), ArgumentError, r"start could not be parsed"),
    ("as_value rad range in deg", lambda: as_value(200 * u.deg, u.rad, "inc", min=0,
                                                   max=np.pi), ArgumentError,
     r"inc must be in \[0, 180\] deg, got 200 deg"),
    # cr3bp
    ("halo_family distance empty", lambda: cr3bp.halo_family(distance=[] * u.km),
     ArgumentError, r"distance must be a single length"),
    ("nrho tol str", lambda: cr3bp.nrho(tol="a"), ArgumentError, r"tol must be a number"),
    ("nrho tol 0", lambda: cr3bp.nrho(tol=0), ArgumentError, r"tol must be a number"),
    ("nrho tol nan", lambda: cr3bp.nrho(tol=np.nan), ArgumentError, r"tol must be a number"),
    ("nrho synodic_month array", lambda: cr3bp.nrho(synodic_month=[29, 30] * u.d),
     ArgumentError, r"synodic_month must be a single time"),
    ("halo_orbit az array", lambda: cr3bp.halo_orbit("L2", [1e4, 2e4] * u.km), ArgumentError,
     r"az must be a scalar length, got"),
    # launchers
    ("payload_to vehicle None", lambda: launchers.payload_to(None), ArgumentTypeError,
     r"vehicle must be"),
    ("payload_to c3 array", lambda: launchers.payload_to("Long March 5",
                                                         c3=[1, 2] * u.km**2 / u.s**2),
     ArgumentError, r"c3 must be a single value"),
    # FiniteBurn
    ("FiniteBurn duration array", lambda: L.FiniteBurn(900 * u.kN, 421 * u.s, [1, 2] * u.s),
     ArgumentError, r"duration must be a single value"),
    ("FiniteBurn thrust array", lambda: L.FiniteBurn([1, 2] * u.kN, 421 * u.s, 300 * u.s),
     ArgumentError, r"thrust must be a single value"),
    ("FiniteBurn injection_delay array", lambda: L.FiniteBurn(**FB, injection_delay=[1, 2] * u.s),
     ArgumentError, r"injection_delay must be a single value"),
    ("FiniteBurn injection_delay empty", lambda: L.FiniteBurn(**FB, injection_delay=[] * u.s),
     ArgumentError, r"injection_delay must be a single value"),
    ("FiniteBurn shifts of a Quantity", lambda: L.FiniteBurn(**FB, shifts=(1 * u.s,)),
     ArgumentTypeError, r"shifts\[0\] must be a \(time, thrust, isp\) triple"),
    ("FiniteBurn shifts time array",
     lambda: L.FiniteBurn(**FB, shifts=(([1, 2] * u.s, 1 * u.kN, 400 * u.s),)),
     ArgumentError, r"shifts\[0\] time must be a single value"),
    ("FiniteBurn shifts thrust negative",
     lambda: L.FiniteBurn(**FB, shifts=((10 * u.s, -1 * u.kN, 400 * u.s),)),
     ArgumentError, r"shifts\[0\] thrust must be in"),
    # refine_transfer / lunar_porkchop / refine_porkchop: checked before any integration
    ("refine_transfer samples huge",
     lambda: L.refine_transfer(_budget(), samples=10**9),
     ArgumentError, r"samples must be an integer in \[2, 100,000\]"),
    ("refine_transfer max_iterations huge",
     lambda: L.refine_transfer(_budget(), max_iterations=10**9),
     ArgumentError, r"max_iterations must be an integer in \[1, 1,000\]"),
    ("lunar_porkchop refine str",
     lambda: L.lunar_porkchop(E + np.arange(2) * u.d, [4] * u.d, refine="yes"),
     ArgumentTypeError, r"refine must be True or False"),
    ("lunar_porkchop refine_best before the grid",
     lambda: L.lunar_porkchop(E + np.arange(2) * u.d, [4] * u.d, refine=True, refine_best=0),
     ArgumentError, r"refine_best must be an integer 1..20"),
    ("lunar_porkchop tofs range in days",
     lambda: L.lunar_porkchop(E + np.arange(2) * u.d, [-1, 4] * u.d), ArgumentError,
     r"tofs must be in \[0.5, 30\] d, got -1 d"),
    # free_return_3d: scalar checks, before the family is traced
    ("free_return_3d parking_altitude empty", lambda: _fr3d(parking_altitude=[] * u.km),
     ArgumentError, r"parking_altitude must be a single value"),
    ("free_return_3d flyby_altitude empty", lambda: _fr3d(flyby_altitude=[] * u.km),
     ArgumentError, r"flyby_altitude must be a single value"),
    ("free_return_3d return_perigee_altitude empty",
     lambda: _fr3d(return_perigee_altitude=[] * u.km), ArgumentError,
     r"return_perigee_altitude must be a single value"),
    ("free_return_3d parking_inclination array",
     lambda: _fr3d(parking_inclination=[1, 2] * u.deg), ArgumentError,
     r"parking_inclination must be a single value"),
    ("free_return_3d post_flyby_burn dv array",
     lambda: _fr3d(post_flyby_burn=(A13_FLYBY + 2 * u.h, [1, 2] * u.m / u.s)), ArgumentError,
     r"post_flyby_burn\[1\] must be a single value"),
    ("free_return_3d max_iterations huge", lambda: _fr3d(max_iterations=10**9), ArgumentError,
     r"max_iterations must be an integer in \[1, 1,000\]"),
    # direct_injection
    ("direct_injection latitude array", lambda: _direct([1, 2] * u.deg, WENCHANG[1]),
     ArgumentError, r"latitude must be a single value"),
    ("direct_injection injection_altitude empty", lambda: _direct(injection_altitude=[] * u.km),
     ArgumentError, r"injection_altitude must be a single value"),
    ("direct_injection ascent_arc array",
     lambda: _direct(inclination=None, ascent_arc=[1, 2] * u.deg), ArgumentError,
     r"ascent_arc must be a single angle"),
    ("direct_injection century-long span", lambda: _direct(start="1890-01-01"), ArgumentError,
     r"start \.\. stop must span at most 366 days"),
    ("direct_injection site not a name", lambda: _direct(site=5), ArgumentTypeError,
     r"site must be a string"),
    ("direct_injection latitude in degrees", lambda: _direct(91 * u.deg, WENCHANG[1]),
     ArgumentError, r"latitude must be in \[-90, 90\] deg, got 91 deg"),
    # lunar_node_drift, lunar_rendezvous, south_pole_access, site_sky
    ("lunar_node_drift altitude named", lambda: _drift(altitude=-5 * u.km), ArgumentError,
     r"^altitude must be in"),
    ("lunar_node_drift empty", lambda: _drift(altitude=[] * u.km), ArgumentError,
     r"altitude must hold at least one value"),
    ("lunar_node_drift shapes", lambda: _drift(altitude=[100, 200] * u.km,
                                               inclination=[90, 80, 70] * u.deg),
     ArgumentError, r"altitude, inclination and raan must broadcast together"),
    ("lunar_rendezvous landing outside DE421", lambda: _rdv(landing="1890-01-01"),
     DateRangeError, r"^landing must lie within"),
    ("lunar_rendezvous stay array", lambda: _rdv(stay=[1, 2] * u.d), ArgumentError,
     r"stay must be a single time"),
    ("lunar_rendezvous stay range in days", lambda: _rdv(stay=1e5 * u.d), ArgumentError,
     r"stay must be in \[0, 60\] d"),
    ("south_pole_access altitudes empty", lambda: _spa(altitudes=()), ArgumentError,
     r"altitudes must hold at least one value"),
    ("south_pole_access altitudes mixed units", lambda: _spa(altitudes=(100 * u.km, 5 * u.deg)),
     ArgumentTypeError, r"altitudes must be a Quantity or a sequence"),
    ("south_pole_access inclinations None", lambda: _spa(inclinations=None), ArgumentTypeError,
     r"inclinations must be"),
    ("site_sky latitude array", lambda: L.site_sky([1, 2] * u.deg, 0 * u.deg, E), ArgumentError,
     r"site latitude and longitude must be scalars, got"),
    # mars
    ("mars_transfer departure outside DE421", lambda: mars.mars_transfer("1890-01-01",
                                                                        "1890-08-01"),
     DateRangeError, r"^departure must lie within"),
    # missions
    ("lunar_sites catalog str", lambda: _missions("lunar_sites").lunar_sites("abc"),
     ArgumentTypeError, r"catalog must be a missions.Catalog"),
    ("can_dock catalog int", lambda: _missions("docking").can_dock("Soyuz MS", "ISS",
                                                                   catalog=5),
     ArgumentTypeError, r"catalog must be a missions.Catalog"),
    ("polar_sites coordinates_only str",
     lambda: _missions("lunar_sites").polar_sites(coordinates_only="yes"), ArgumentTypeError,
     r"coordinates_only must be True or False"),
    ("polar_site_access at outside DE421",
     lambda: _missions("lunar_sites").polar_site_access(at="2053-10-01"), DateRangeError,
     r"^at must start a lunar day"),
    ("transfer_budget parking_altitude float",
     lambda: _missions("lunar_profiles").transfer_budget("Chang'e-5", parking_altitude=5.0),
     ArgumentTypeError, r"parking_altitude must be an astropy Quantity"),
    ("transfer_budget parking_altitude array",
     lambda: _missions("lunar_profiles").transfer_budget("Chang'e-5",
                                                         parking_altitude=[100, 200] * u.km),
     ArgumentError, r"parking_altitude must be a single altitude"),
    ("transfer_budget parking_altitude wrong unit",
     lambda: _missions("lunar_profiles").transfer_budget("Chang'e-5",
                                                         parking_altitude=5 * u.deg),
     UnitError, r"parking_altitude must have units of length"),
    ("transfer_budget refine str",
     lambda: _missions("lunar_profiles").transfer_budget("Chang'e-5", refine="yes"),
     ArgumentTypeError, r"refine must be True or False"),
    ("lunar_profiles missions not a list", lambda: _missions("lunar_profiles").lunar_profiles(
        missions=5), ArgumentTypeError, r"missions must be a list"),
]


@pytest.mark.parametrize("call, cls, pattern", [c[1:] for c in API_CASES],
                         ids=[c[0] for c in API_CASES])
def test_bad_argument_gets_a_toolkit_error_naming_it(call, cls, pattern):
    with pytest.raises(cls) as info:
        call()
    assert isinstance(info.value, ValidationError)
    assert re.search(pattern, str(info.value)), str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("burn, pattern", [
    # 1 N on 100 t would burn for years: the refinement used to run without end
    (L.FiniteBurn(1e-3 * u.kN, 421 * u.s, initial_mass=1e5 * u.kg), r"would need a .* s burn"),
    # 900 kN on 1 kg: the integrator failed with a RuntimeError
    (L.FiniteBurn(900 * u.kN, 421 * u.s, initial_mass=1 * u.kg), r"would need a .* s burn"),
    # isp 50 s: a mass ratio of ~560; the integrator failed with a RuntimeError
    (L.FiniteBurn(900 * u.kN, 50 * u.s, 7200 * u.s), r"would burn 99\.\d % of the mass"),
], ids=["tiny thrust", "tiny mass", "tiny isp"])
def test_a_burn_that_cannot_give_the_tli_is_refused_before_integrating(burn, pattern):
    with pytest.raises(ArgumentError, match=r"^burn: ") as info:
        L.refine_transfer(_budget(), burn=burn)  # only the burn is bad
    assert re.search(pattern, str(info.value)), str(info.value)


def test_names_and_dates_that_should_work_do():
    # case and whitespace variants are matched by the catalogs' own name rules
    assert launchers.payload_to(" long march 5 ").vehicle == launchers.payload_to("LM-5").vehicle
    assert _missions("docking").can_dock("soyuz ms", " ISS ").first == "Soyuz MS"
    # a date (not a datetime) is its midnight UTC
    assert as_time(datetime.date(2026, 1, 1), "at").isot == "2026-01-01T00:00:00.000"
    # one mechanism name as a string, not its characters
    assert len(_missions("docking").docking_matrix("SSVP-G4000")) == 1


def _cli(*args):
    from missions.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


CLI_CASES = [
    (["porkchop", "--mars", "--start", "2020-07-01", "--days", "nan"], "--days"),
    (["porkchop", "--mars", "--start", "2020-07-01", "--days", "3", "--step", "nan"], "--step"),
    (["porkchop", "--mars", "--start", "2020-07-01", "--days", "3", "--arrival-days", "nan"],
     "--arrival-days"),
    (["porkchop", "--mars", "--start", "2020-07-01", "--arrival-start", "2026-13-01"],
     "--arrival-start"),
    (["porkchop", "--mars", "--start", "2020-07-01", "--days", "3", "--out", ""], "--out"),
    (["windows", "Baikonur", "ISS", "--days", "nan"], "--days"),
    (["windows", "Baikonur", "ISS", "--vehicle", ""], "--vehicle"),
    (["south-pole", "--site", " "], "--site"),
    (["south-pole", "--at", "1890-01-01"], "at must start a lunar day"),
    (["south-pole", "--at", "2026-13-01"], "--at"),
    (["dock", "Soyuz MS", "x" * 5000], "B"),
    (["visit", "Soyuz MS", "Chinese space station", "--at", "2026-02-30"], "--at"),
    (["compare", "ISS", "CSS", "--at", ""], "--at"),
    (["report", "--out", "", "--quiet"], "--out"),
    (["survey", "mars", "--out", "", "--years", "1", "--no-progress"], "--out"),
    (["survey", "lunar", "--out", "unused", "--start", "2026-01-01", "--months", "1",
      "--tof-max", "inf", "--no-progress"], "--tof-max"),
    (["survey", "mars", "--out", "unused", "--years", "1", "--timeout", "nan",
      "--no-progress"], "--timeout"),
    # the survey API's argument names come back as the options the user typed
    (["survey", "windows", "--out", "unused", "--start", "2027-01-01", "--years", "-1",
      "--no-progress"], "--years must be in"),
    (["survey", "windows", "--out", "unused", "--start", "2027-01-01", "--block-days", "0",
      "--no-progress"], "--block-days must be in"),
    (["survey", "mars", "--out", "unused", "--years", "0", "--no-progress"], "--years"),
    (["survey", "lunar", "--out", "unused", "--start", "2026-01-01", "--months", "0",
      "--no-progress"], "--months must be in"),
]


@pytest.mark.parametrize("args, names", CLI_CASES,
                         ids=[" ".join(a)[:60] for a, _ in CLI_CASES])
def test_cli_bad_option_exits_2_with_one_line_naming_it(args, names, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an option that fell back to "." would write here, not in git
    res = _cli(*args)
    lines = res.stderr.strip().splitlines()
    assert res.exit_code == 2, res.output
    assert len(lines) == 1 and "error: " in lines[0], res.stderr
    assert names in lines[0], lines[0]
    assert not list(tmp_path.iterdir())  # nothing written


def test_an_extra_catalog_file_without_records_is_refused_by_name(tmp_path):
    import missions
    from missions.schema import CatalogError

    empty = tmp_path / "mine.toml"
    empty.write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"mine\.toml: holds no records"):
        missions.load_catalog(empty)
