"""The user cache of element sets and `mission-compare elements update/list`
(missions.elements_store, missions.cli_elements).

Every download goes to a real HTTP server on 127.0.0.1 started by the test (http.server in a
thread, port 0), serving the fixtures of tests/data/elements/ - never the network. Those
fixtures are the real 2024-05-09 CelesTrak sets of seeds/authorities/stations-2024-05-09.tle as
OMM JSON (see tests/data/elements/README.md); expected epochs are read from that TLE file.
"""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from astropy import units as u
from astropy.time import Time
from click.testing import CliRunner

from missions import elements_store as store
from missions.cli_elements import elements
from orbits.errors import DataFileError, ValidationError

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "elements"
TLE_FILE = ROOT / "seeds" / "authorities" / "stations-2024-05-09.tle"


class _Handler(BaseHTTPRequestHandler):
    extra: Path | None = None  # a test's own folder of broken downloads, served under /tmp/

    def do_GET(self):
        path = self.path.split("?")[0].lstrip("/")
        if path == "slow":
            time.sleep(3.0)
        if path.startswith("tmp/") and _Handler.extra is not None:
            f = _Handler.extra / path[4:]
        else:
            f = DATA / path
        if path == "slow" or not f.is_file():
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b"not found")
            return
        body = f.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MISSION_COMPARE_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


def _tle_epoch(name):
    lines = [ln.rstrip() for ln in TLE_FILE.read_text().splitlines() if ln.strip()]
    l1 = lines[[ln.strip() for ln in lines].index(name) + 1]
    return Time(f"{2000 + int(l1[18:20])}-01-01", scale="utc") + (float(l1[20:32]) - 1) * u.day


def test_data_dir_env_override_and_urls(data_dir):
    assert store.data_dir() == data_dir
    assert store.cache_path() == data_dir / "elements" / "gp-history.json"
    assert store.gp_url() == "https://celestrak.org/NORAD/elements/gp.php?GROUP=stations&FORMAT=json"
    assert store.gp_url(catnr=25544).endswith("?CATNR=25544&FORMAT=json")
    with pytest.raises(ValidationError, match="group must be"):
        store.gp_url(group="a b&c")


def test_good_download_appends_and_dedups(server, data_dir):
    r = store.update(f"{server}/gp-core.json", timeout=5)
    assert (r.downloaded, r.added, r.objects, r.total) == (2, 2, 2, 2)  # gp-core.json: 2 sets
    path = store.cache_path()
    assert path.is_file() and not list(path.parent.glob(".gp-*"))  # no temp file left
    again = store.update(f"{server}/gp-core.json", timeout=5)
    assert again.added == 0 and again.total == 2  # same epochs: deduplicated
    more = store.update(f"{server}/gp-rest.json", timeout=5)
    assert more.added == 7 and more.objects == 9  # the seven other objects of the TLE file
    hist = store.cached_histories()
    iss = hist["ISS (ZARYA)"].latest
    assert abs((iss.epoch - _tle_epoch("ISS (ZARYA)")).to_value(u.s)) < 1e-3
    # the merged sources: packaged history, then cache, then a user file
    allh = store.histories(TLE_FILE)
    assert allh["Tianhe"].at("2024-05-09T00:08").source == str(TLE_FILE)  # user file wins at its epoch


def test_corrupt_download_leaves_the_cache_unchanged(server, data_dir):
    store.update(f"{server}/gp-core.json", timeout=5)
    before = store.cache_path().read_bytes()
    with pytest.raises(DataFileError, match=r"gp-truncated\.json, line \d+ column \d+: not valid JSON"):
        store.update(f"{server}/gp-truncated.json", timeout=5)
    assert store.cache_path().read_bytes() == before


def test_record_with_a_missing_field_is_refused(server, data_dir, tmp_path):
    store.update(f"{server}/gp-core.json", timeout=5)
    before = store.cache_path().read_bytes()
    recs = json.loads((DATA / "gp-rest.json").read_text())
    del recs[3]["MEAN_MOTION"]
    (tmp_path / "bad.json").write_text(json.dumps(recs))
    _Handler.extra = tmp_path
    try:
        with pytest.raises(DataFileError, match="record 4: missing OMM field MEAN_MOTION"):
            store.update(f"{server}/tmp/bad.json", timeout=5)
    finally:
        _Handler.extra = None
    assert store.cache_path().read_bytes() == before


def test_404_timeout_and_no_server(server, data_dir):
    with pytest.raises(store.ElementsDownloadError, match="HTTP 404"):
        store.update(f"{server}/nothing.json", timeout=5)
    with pytest.raises(store.ElementsDownloadError, match="timed out after 0.5 s"):
        store.update(f"{server}/slow", timeout=0.5)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: connection refused
    with pytest.raises(store.ElementsDownloadError, match="cannot connect"):
        store.update(f"http://127.0.0.1:{port}/gp.json", timeout=2)
    assert not store.cache_path().exists()


def test_cli_update_and_list(server, data_dir):
    runner = CliRunner()
    res = runner.invoke(elements, ["update", "--source", f"{server}/gp-core.json",
                                   "--timeout", "5"])
    assert res.exit_code == 0, res.output
    assert "new sets" in res.stdout and "2" in res.stdout
    res = runner.invoke(elements, ["list", "--at", "2024-06-01", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    assert [r["catalog_number"] for r in rows] == [25544, 48274]
    age = (Time("2024-06-01") - _tle_epoch("ISS (ZARYA)")).to_value(u.day)
    assert abs(rows[0]["age"]["value"] - age) < 1e-6
    assert "warning: the cached elements of ISS (ZARYA), CSS (TIANHE) are more than 14 days" in res.stderr  # 22.6 d
    res = runner.invoke(elements, ["list", "--at", "2024-05-10"])
    assert res.exit_code == 0 and "CSS (TIANHE)" in res.stdout and not res.stderr


def test_cli_offline_is_one_line(data_dir):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    res = CliRunner().invoke(elements, ["update", "--source", f"http://127.0.0.1:{port}/x",
                                        "--timeout", "2"])
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mission-compare: error: download of")
    assert "Traceback" not in res.output
    res = CliRunner().invoke(elements, ["list"])
    assert res.exit_code == 0 and "nothing cached" in res.stdout
