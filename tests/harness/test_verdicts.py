"""Known deviations, stale deviations and "not implemented" end to end: the run's report and
exit status say what docs/verdicts.md says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def manifest(tmp_path: Path, name: str, root: str, deviations: dict[str, str]) -> Path:
    lines = [f'name = "{name}"']
    if deviations:
        pairs = ", ".join(f'"{key}" = "{value}"' for key, value in deviations.items())
        lines.append(f"expected_failures = {{{pairs}}}")
    lines += [
        "[roles.filer-rep]",
        'argv = ["{python}", "-m", "reference.filer_rep", "--bind", "{endpoint}", "--root", '
        f'"{root}"]',
        'ready = "Listening for zmq requesters"',
        f'env = {{PYTHONPATH = "{ROOT}"}}',
    ]
    path = tmp_path / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def run(tmp_path: Path, *manifests: Path, keyword: str) -> tuple[int, dict[str, str]]:
    report = tmp_path / "report"
    arguments = [arg for m in manifests for arg in ("--impl", str(m))]
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance",
            "run",
            *arguments,
            "-k",
            keyword,
            "-j",
            "0",
            "--report",
            str(report),
        ],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    document = json.loads((report / "report.json").read_text())
    outcomes = {
        f"{r['implementation']}:{r['requirement']}:{r['role']}": r["outcome"]
        for r in document["results"]
    }
    return completed.returncode, outcomes


def test_a_declared_failure_is_a_known_deviation_and_the_run_passes(tmp_path: Path) -> None:
    wrong = manifest(tmp_path, "wrong", "{tmp}", {"REQREP-1": "serves the wrong folder"})
    code, outcomes = run(tmp_path, wrong, keyword="REQREP-1")
    assert outcomes["wrong:REQREP-1:filer-rep"] == "known deviation"
    assert outcomes["wrong:REQREP-1:filer-rep-cluster"] == "not implemented"
    assert code == 0


def test_a_declared_failure_that_passes_is_stale_and_fails_the_run(tmp_path: Path) -> None:
    right = manifest(tmp_path, "right", "{root}", {"REQREP-1": "thought it was broken"})
    code, outcomes = run(tmp_path, right, keyword="REQREP-1")
    assert outcomes["right:REQREP-1:filer-rep"] == "stale deviation"
    assert code == 1


def test_an_undeclared_failure_fails_the_run(tmp_path: Path) -> None:
    wrong = manifest(tmp_path, "wrong", "{tmp}", {})
    code, outcomes = run(tmp_path, wrong, keyword="REQREP-1")
    assert outcomes["wrong:REQREP-1:filer-rep"] == "fail"
    assert code == 1
