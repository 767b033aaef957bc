"""Docking compatibility (missions.docking).

Sources of expected values:
- seeds/authorities/docking/dockings.csv: dated dockings that happened (Apollo-Soyuz 1975,
  Soyuz TM-16 to Kristall 1993, Shuttle-Mir 1995 and the Mir docking module, Shenzhou-8 to
  Tiangong-1 2011, Soyuz MS 2016, Crew Dragon Demo-1 2019 and CRS-21 2020 at the IDAs,
  Shenzhou-12 2021), each with its public source and date (PROVENANCE.md there);
- seeds/authorities/docking/never_docked.csv: pairs that never docked, with the published
  reason (mechanisms) and its sources;
- the individual facts cited next to each test.
"""

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from missions import load_catalog
from missions.cli import cli
from missions.docking import (
    ADAPTER,
    CLAIMED,
    DIRECT,
    NO,
    can_dock,
    docking_data,
    docking_matrix,
    docking_matrix_figure,
    mechanism_relation,
)
from orbits.errors import ArgumentError, ArgumentTypeError, DataFileError, NotFoundError

AUTH = Path("seeds/authorities/docking")


def _rows(name):
    with open(AUTH / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.mark.parametrize("row", _rows("dockings.csv"), ids=lambda r: f"{r['date_utc']} "
                         f"{r['chaser']}-{r['target']}")
def test_recorded_dockings_are_direct(catalog, row):
    # each row: a docking that happened on that date, with the mechanisms the source names
    r = can_dock(row["chaser"], row["target"], at=row["date_utc"], catalog=catalog)
    assert r.relation == DIRECT and r.verdict == "yes" and r.ok
    assert {r.port_first, r.port_second} == {row["chaser_mechanism"], row["target_mechanism"]}
    assert row["chaser_mechanism"] in r.mechanisms_first
    assert row["target_mechanism"] in r.mechanisms_second
    assert r.demonstrated and row["date_utc"] in r.examples
    assert r.sources


@pytest.mark.parametrize("row", _rows("never_docked.csv"), ids=lambda r: f"{r['a']}-{r['b']}")
def test_pairs_that_never_docked_cannot(catalog, row):
    r = can_dock(row["a"], row["b"], catalog=catalog)
    assert r.relation == NO and r.verdict == row["expected"] and not r.ok
    assert not r.demonstrated and r.examples == "none recorded"


def test_soyuz_ms_and_the_chinese_station(catalog):
    # SSVP probe on Soyuz (Wikipedia "SSVP docking system", 2024-01) against the Chinese
    # APAS-derived mechanism on Tiangong (Wikipedia "Chinese Docking Mechanism")
    r = can_dock("Soyuz MS", "Chinese space station", catalog=catalog)
    assert r.verdict == "no"
    assert (r.first, r.second) == ("Soyuz MS", "Chinese space station")  # catalog names
    assert "SSVP-G4000" in r.mechanisms_first
    assert "Chinese docking mechanism" in r.mechanisms_second
    assert "different families" in r.reason
    urls = " ".join(r.sources)
    assert "Probe-and-drogue_docking_system" in urls and "Chinese_Docking_Mechanism" in urls
    # the same station by its other catalog names
    assert can_dock("Soyuz MS", "Tiangong", catalog=catalog).verdict == "no"
    assert can_dock("Soyuz MS", "CSS", catalog=catalog).second == "Chinese space station"


def test_soyuz_19_and_apollo(catalog):
    # NASA RP-1357 p. 50: Soyuz 19 docked with Apollo on 1975-07-17 using APAS-75
    r = can_dock("Soyuz 19", "Apollo", catalog=catalog)
    assert r.verdict == "yes" and r.port_first == r.port_second == "APAS-75"
    assert "1975-07-17" in r.examples
    assert "RP1357" in " ".join(r.sources)
    # the day before: the same hardware, not yet docked
    before = can_dock("Soyuz 19", "Apollo", at="1975-07-16", catalog=catalog)
    assert before.verdict == "yes" and not before.demonstrated
    assert before.examples == "none recorded"


def test_apollo_csm_alone_needs_the_docking_module(catalog):
    # RP-1357 p. 50 (figure 1-23): Apollo's probe went into the docking module's drogue; the
    # module's other end carried the APAS-75 unit
    r = can_dock("Apollo CSM", "Soyuz 19", catalog=catalog)
    assert r.relation == ADAPTER and r.via == "ASTP docking module"


def test_ida_converts_the_pmas(catalog):
    # Wikipedia "International Docking Adapter": IDA converts APAS-95 to IDSS; IDA-2 flew in
    # July 2016 (RIA 2020-06-04). Before it, an IDSS vehicle needed the adapter; after both IDAs
    # (2019) the Shuttle's APAS-95 would need one (Wikipedia "NASA Docking System": the former
    # PMA function is no longer available for visiting spacecraft).
    assert can_dock("Starliner", "ISS", at="2015-06-01", catalog=catalog).relation == ADAPTER
    assert can_dock("Starliner", "ISS", at="2020-01-01", catalog=catalog).relation == DIRECT
    # NASA 2000-01-18: the APAS docks the orbiter to PMA-2
    shuttle = can_dock("Space Shuttle", "ISS", at="2011-07-08", catalog=catalog)
    assert shuttle.relation == DIRECT and shuttle.port_second == "APAS-95"
    later = can_dock("Space Shuttle", "ISS", at="2020-01-01", catalog=catalog)
    assert later.relation == ADAPTER and "IDA" in later.via


def test_chinese_claim_is_only_a_claim(catalog):
    # Go Taikonauts! 2011-09-09: SAST said Tiangong-1's mechanism is compatible with the
    # "international standard", presumed APAS-95; contradicted (Wikipedia, SpaceNews 2012)
    rel, _, srcs, _ = mechanism_relation("Chinese docking mechanism", "APAS-95")
    assert rel == CLAIMED and "gotaikonauts-2011-compatible" in srcs
    # the ISS had open APAS-95 ports (PMA-2/3) until 2016/2019: a Shenzhou then is "claimed"
    r = can_dock("Shenzhou", "ISS", at="2012-06-01", catalog=catalog)
    assert r.verdict == "claimed, never demonstrated"
    # the Russian segment's one APAS unit is the permanent Zarya-PMA-1 joint (NASA 2000)
    seg = can_dock("Shenzhou", "Russian segment", catalog=catalog)
    assert seg.verdict == "no" and "Zarya" in seg.reason


def test_apas_75_and_apas_89_differ():
    # RP-1357 p. 73: Soyuz TM-16's APAS-89 was different from the APAS-75 of 1975
    assert mechanism_relation("APAS-75", "APAS-89")[0] == NO


def test_orel_and_ros_are_planned_ssvp(catalog):
    # RussianSpaceWeb 2015: Orel's active docking unit is from the SSVP family; ROS is built
    # from the Russian segment's modules (catalog), whose ports are SSVP-G4000 drogues
    r = can_dock("Orel", "Russian Orbital Station", catalog=catalog)
    assert r.relation == DIRECT and "planned" in r.verdict and not r.demonstrated


def test_unknown_and_unrecorded_names(catalog):
    with pytest.raises(NotFoundError, match="Luna-25.*no recorded docking mechanism.*Soyuz MS"):
        can_dock("Luna-25", "ISS", catalog=catalog)
    with pytest.raises(NotFoundError, match="did you mean 'Soyuz MS'"):
        can_dock("Soyuz MZ", "ISS", catalog=catalog)
    with pytest.raises(ArgumentTypeError):
        can_dock(42, "ISS", catalog=catalog)
    with pytest.raises(ArgumentError, match="same object"):
        can_dock("CSS", "Tiangong", catalog=catalog)
    with pytest.raises(NotFoundError, match="mechanisms: SSVP"):
        mechanism_relation("APAS-2000", "SSVP")


def test_matrix():
    m = docking_matrix()
    n = len(docking_data().mechanisms)
    assert len(m) == n * (n + 1) // 2  # each unordered pair once, and each with itself
    assert m.code("apas-75", "apas-89") == NO  # RP-1357 p. 73
    assert m.code("apas-95", "nds") == ADAPTER  # Wikipedia IDA: IDA converts APAS-95 to IDSS
    assert m.code("chinese", "apas-95") == CLAIMED  # Go Taikonauts! 2011-09-09
    assert m.code("ssvp", "ssvp-g4000") == DIRECT  # Wikipedia SSVP: G4000 is the modern SSVP
    row = next(i for i in range(len(m)) if m.first[i] == m.second[i] == "APAS-75")
    assert m.demonstrated[row] and m.example[row].startswith("1975-07-17")  # RP-1357 p. 50
    json.dumps(m.to_dict())
    fig = docking_matrix_figure(m)
    assert len(fig.axes[0].patches) == n * n


def test_bad_data_file(tmp_path):
    text = (Path("missions/data/docking/mechanisms.toml").read_text(encoding="utf-8")
            .replace('role = "active"', 'role = "pushy"', 1))
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match="role.*pushy"):
        docking_data(str(bad))


def test_cli_dock():
    runner = CliRunner()
    out = runner.invoke(cli, ["dock", "Soyuz MS", "Chinese space station"])
    assert out.exit_code == 0
    assert [ln.split() for ln in out.output.splitlines() if ln.startswith("can dock")] == [
        ["can", "dock", "no"]]
    assert "Chinese docking mechanism" in out.output and "sources:" in out.output
    out = runner.invoke(cli, ["dock", "Soyuz 19", "Apollo", "--format", "json"])
    assert out.exit_code == 0 and json.loads(out.output)["verdict"] == "yes"
    out = runner.invoke(cli, ["dock", "--matrix", "--format", "csv"])
    assert out.exit_code == 0 and out.output.startswith("mechanism,with,relation")
    out = runner.invoke(cli, ["dock", "Luna-25", "ISS"])
    assert out.exit_code == 2 and "no recorded docking mechanism" in out.output
