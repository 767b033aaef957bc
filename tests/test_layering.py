"""The layering rules of DESIGN.md, checked: import-linter contracts and import-time hygiene.

- The contracts live in ``pyproject.toml`` (``[tool.importlinter]``): ``orbits`` never imports
  ``missions``; ``orbits.core`` imports no astropy, matplotlib, boinor, numba or dask, and
  nothing from ``orbits`` outside ``orbits.core``. ``lint-imports`` checks them on the source.
- A second test gives the contracts a broken copy of the packages, so a contract that has
  stopped checking anything (renamed package, deleted line) fails here too.
- Import-time hygiene, in fresh interpreters: ``import missions, orbits`` loads no heavy
  library; importing every module of both packages (what ``--doctest-modules`` does) writes no
  file, reads no data file, opens no socket, starts no process and draws no figure; the pure
  core stays pure at run time too (dynamic imports that a static check cannot see).
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

#: what orbits.core must never load (DESIGN.md: "orbits.core never imports astropy or
#: matplotlib"; boinor/numba/dask are the heavy layers above it)
CORE_FORBIDDEN = ("astropy", "matplotlib", "boinor", "numba", "dask")
#: what ``import missions, orbits`` must not load (README: "`import missions, orbits` loads
#: neither" boinor nor numba; BRIEF: no boinor/numba/dask/astropy at package import)
PACKAGE_IMPORT_FORBIDDEN = ("astropy", "matplotlib", "boinor", "numba", "dask", "scipy")


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    # the console script of the interpreter running the tests, so CI's venv is the one used
    code = "import sys; from importlinter.cli import lint_imports_command; lint_imports_command()"
    return subprocess.run(
        [sys.executable, "-c", code, "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _require_import_linter():
    pytest.importorskip("importlinter", reason="import-linter is in the [test] extra")


def test_import_linter_contracts_are_kept():
    _require_import_linter()
    proc = _lint_imports(REPO)
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"lint-imports found broken layering contracts:\n{report}"
    assert "3 kept, 0 broken" in report, report


def test_import_linter_contracts_catch_violations(tmp_path):
    """Each contract reports an import that breaks it (the contracts are not vacuous)."""
    _require_import_linter()
    for name in ("orbits", "missions"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    # one violation per rule, appended where no test imports them
    (tmp_path / "orbits" / "_layering_probe.py").write_text(
        "def f():\n    import missions.catalog\n", encoding="utf-8"
    )
    core_probe = "".join(f"import {m}\n" for m in CORE_FORBIDDEN) + "from .. import errors\n"
    (tmp_path / "orbits" / "core" / "_layering_probe.py").write_text(core_probe, encoding="utf-8")

    proc = _lint_imports(tmp_path)
    report = proc.stdout + proc.stderr
    assert proc.returncode == 1, report
    assert "0 kept, 3 broken" in report, report
    assert "orbits._layering_probe -> missions.catalog" in report, report
    for m in CORE_FORBIDDEN:
        assert f"orbits.core is not allowed to import {m}:" in report, report
    assert "orbits.core._layering_probe -> orbits.errors" in report, report


def _run_probe(code: str, tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["MPLBACKEND"] = "Agg"
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), str(REPO)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_package_import_loads_no_heavy_library(tmp_path):
    out = _run_probe(
        """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        import missions, orbits
        print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
        """,
        tmp_path,
    )
    loaded = sorted(set(out) & set(PACKAGE_IMPORT_FORBIDDEN))
    assert not loaded, f"`import missions, orbits` loads {loaded}; import them inside functions"


def test_core_loads_nothing_forbidden_at_run_time(tmp_path):
    out = _run_probe(
        """
        import importlib, json, pkgutil, sys
        sys.path.insert(0, sys.argv[1])
        import orbits.core
        for info in pkgutil.walk_packages(orbits.core.__path__, "orbits.core."):
            importlib.import_module(info.name)
        print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
        """,
        tmp_path,
    )
    loaded = sorted(set(out) & set(CORE_FORBIDDEN))
    assert not loaded, f"importing orbits.core loads {loaded}"


# Every module of both packages is imported with an audit hook watching. The heavy third-party
# libraries are imported first, so their own caches (matplotlib's font list) are not counted:
# what is left is what our modules do at import.
_IMPORT_EVERYTHING = r"""
import importlib, json, os, pkgutil, sys
repo = os.path.realpath(sys.argv[1])
sys.path.insert(0, repo)
import numpy, matplotlib, matplotlib.pyplot as plt
import astropy.units, astropy.time, astropy.table, astropy.coordinates
events = []
CODE = (".py", ".pyc", ".so", ".pth")


def hook(event, args):
    if event == "open":
        path, mode, flags = args
        if isinstance(path, int):
            return
        path = os.path.realpath(os.fsdecode(path))
        if mode is None:
            writes = bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND))
        else:
            writes = any(c in mode for c in "wax+")
        inside = path.startswith(repo + os.sep)
        if writes:
            events.append(f"writes {path}")
        elif inside and not path.endswith(CODE) and "__pycache__" not in path:
            events.append(f"reads {path}")
    elif event in ("socket.connect", "socket.getaddrinfo", "subprocess.Popen", "os.system"):
        events.append(f"{event} {args!r:.200}")
    elif event in ("os.mkdir", "os.remove", "os.rename", "shutil.rmtree"):
        events.append(f"{event} {args!r:.200}")


modules = []
sys.addaudithook(hook)
import missions, orbits
for pkg in (orbits, missions):
    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
        before = len(events)
        importlib.import_module(info.name)
        events[before:] = [f"{info.name}: {e}" for e in events[before:]]
        modules.append(info.name)
print(json.dumps({
    "modules": modules,
    "events": events,
    "figures": plt.get_fignums(),
    "loaded": sorted({m.split(".")[0] for m in sys.modules}),
}))
"""


def test_importing_every_module_is_harmless(tmp_path):
    """What ``--doctest-modules`` relies on: importing a module only defines things."""
    out = _run_probe(_IMPORT_EVERYTHING, tmp_path)
    assert "missions.__main__" in out["modules"] and "orbits.core.lambert" in out["modules"]
    assert out["events"] == [], "modules do I/O at import:\n" + "\n".join(out["events"])
    assert out["figures"] == [], f"modules draw figures at import: {out['figures']}"
    lazy = sorted(set(out["loaded"]) & {"boinor", "numba", "dask"})
    assert not lazy, f"importing the modules loads {lazy}; import them inside the functions"
    assert list(tmp_path.iterdir()) == [], "modules wrote into the working directory"


@pytest.mark.parametrize("package", ["orbits", "missions"])
def test_every_lazy_export_resolves(package):
    """Each name in a package's ``__all__`` (served lazily by its ``__getattr__``) exists."""
    pkg = importlib.import_module(package)
    assert pkg.__all__, f"{package}.__all__ is empty"
    missing = [name for name in pkg.__all__ if not hasattr(pkg, name)]
    assert missing == [], f"{package}.__all__ names that do not resolve: {missing}"
    assert set(pkg.__all__) <= set(dir(pkg))
