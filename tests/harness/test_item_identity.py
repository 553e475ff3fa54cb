"""No path to a false "conforms": every item ends with exactly one verdict, whatever its name.

Each item carries its target's identity as data (a user property of its reports), never
parsed back out of pytest's node id, which pytest escapes and which a ``[`` or ``::`` in a
name breaks. The runs here use a broken filer (``filer_truncates``) under names that are
awkward for node ids and ``-k``; each must fail exactly as an ASCII name does. A plugin that
swallows an item's identity, or kills an xdist worker, shows that an item without a verdict
fails the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "mutants" / "manifests" / "filer_truncates.toml"
REFERENCE = ROOT / "conformance" / "manifests" / "reference.toml"
pytestmark = pytest.mark.slow

AWKWARD_NAMES = (
    "plain-ascii",
    "mütant-ü",
    "文件 🙂",
    "impl[2]",
    "a]b[c",
    "x::REQREP-2::y",
    "with space",
    "quote\"d 'too'",
    "not",
    "and or",
)
"""Non-ASCII, brackets, ``::``, spaces, quotes, and ``-k`` words; the first is the control."""


def broken_manifest(folder: Path, name: str, index: int) -> Path:
    """The filer_truncates mutant under NAME (it fails REQREP-1)."""
    text = BROKEN.read_text()
    text = text.replace(
        'name = "mutant-filer_truncates"', f"name = {json.dumps(name, ensure_ascii=False)}"
    )
    text = text.replace("{here}/../../..", str(ROOT))
    path = folder / f"impl-{index}.toml"
    path.write_text(text)
    return path


def run_suite(
    folder: Path, manifests: list[Path], *options: str, plugin: str | None = None
) -> tuple[int, dict[str, Any], str]:
    """``python -m conformance run`` on MANIFESTS: its exit status, report.json and output."""
    report = folder / "report"
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{Path(__file__).parent}")
    if plugin is not None:
        env["PYTEST_PLUGINS"] = plugin
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance",
            "run",
            *(arg for manifest in manifests for arg in ("--impl", str(manifest))),
            "--report",
            str(report),
            *options,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    document = json.loads((report / "report.json").read_text())
    return completed.returncode, document, completed.stdout + completed.stderr


@pytest.mark.parametrize("jobs", ["0", "2"], ids=["one-process", "xdist"])
def test_awkward_names_fail_exactly_as_an_ascii_name(tmp_path: Path, jobs: str) -> None:
    manifests = [broken_manifest(tmp_path, name, i) for i, name in enumerate(AWKWARD_NAMES)]
    code, document, output = run_suite(
        tmp_path, manifests, "-k", "REQREP-1", "--role", "filer-rep", "-j", jobs
    )
    assert code == 1, output
    outcomes = {(r["implementation"], r["requirement"], r["role"]): r for r in document["results"]}
    for name in AWKWARD_NAMES:
        result = outcomes[(name, "REQREP-1", "filer-rep")]
        assert result["outcome"] == "fail", (name, result)
        assert "does not carry the content" in result["explanation"], (name, result)
        assert document["conforms"][name] is False, name
    assert len(document["results"]) == len(AWKWARD_NAMES)
    assert document["run_errors"] == []


def test_k_matches_a_name_as_written(tmp_path: Path) -> None:
    """``-k`` sees the names themselves, not pytest's escaped ids; the rest is not judged."""
    broken = broken_manifest(tmp_path, "mütant-ü", 0)
    code, document, output = run_suite(
        tmp_path, [broken, REFERENCE], "-k", "mütant and REQREP-1", "--role", "filer-rep"
    )
    assert code == 1, output
    assert [(r["implementation"], r["outcome"]) for r in document["results"]] == [
        ("mütant-ü", "fail")
    ]
    assert document["conforms"] == {"mütant-ü": False, "reference": None}


@pytest.mark.parametrize("jobs", ["0", "2"], ids=["one-process", "xdist"])
@pytest.mark.parametrize("manifest", [BROKEN, REFERENCE], ids=["failing", "passing"])
def test_an_item_whose_verdict_is_dropped_fails_the_run(
    tmp_path: Path, jobs: str, manifest: Path
) -> None:
    """A plugin strips the identity from the call report: the item has no verdict."""
    code, document, output = run_suite(
        tmp_path,
        [manifest],
        "-k",
        "REQREP-1",
        "--role",
        "filer-rep",
        "-j",
        jobs,
        plugin="identity_plugins.drop_verdict",
    )
    assert code == 1, output
    (result,) = document["results"]
    assert result["outcome"] == "error"
    assert "without a verdict" in result["explanation"]
    assert not any(document["conforms"].values())
    if manifest == BROKEN:  # pytest saw a failure that belongs to no item
        assert any("belongs to no conformance item" in e for e in document["run_errors"])


def test_a_crashed_worker_fails_the_run(tmp_path: Path) -> None:
    """An xdist worker that dies in an item: that item ends without a verdict."""
    code, document, output = run_suite(
        tmp_path,
        [REFERENCE],
        "-k",
        "REQREP-1 or REQREP-2",
        "--role",
        "filer-rep",
        "-j",
        "2",
        plugin="identity_plugins.crash_worker",
    )
    assert code == 1, output
    outcomes = {r["requirement"]: r["outcome"] for r in document["results"]}
    assert outcomes["REQREP-1"] == "error"
    assert outcomes["REQREP-2"] == "pass"
    assert document["conforms"] == {"reference": False}
    assert document["run_errors"], "pytest's crash report belongs to no item"
