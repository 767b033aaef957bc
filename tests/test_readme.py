"""The README's promises: its Python examples run, and CI runs exactly its test command."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _blocks(lang):
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.DOTALL)


def test_readme_python_examples_run():
    blocks = _blocks("python")
    assert blocks
    for code in blocks:
        exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})  # noqa: S102 (our README)


def test_ci_runs_exactly_the_readme_test_command():
    bash = _blocks("bash")
    test_cmd = next(line for b in bash for line in b.splitlines() if "pytest" in line)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_cmd.strip() in [line.strip() for line in ci]


def test_readme_has_one_install_command_for_the_main_job():
    bash = _blocks("bash")
    main = [line for b in bash for line in b.splitlines() if "mission-compare report" in line]
    assert main and main[0].startswith("python3 -m pip install .")
