"""The hostile zoo: every program of tests/hostile through the suite, the reference alongside.

Each batch of ``catalogue.BATCHES`` is one ``python -m conformance run`` with the
batch's manifests and the reference, a private temp dir, and a mark in its
environment that every process it starts inherits (a daemon too). Then: the run
ended, with status 1; each program got its verdict and explanation; the
reference's items passed; neither the terminal nor the HTML report holds a control
character an implementation wrote; and nothing is left: no process with the mark,
no file in the temp dir, no cgroup of a harness that is gone. The last run does
it again without cgroups (the subreaper sweep).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance import cgroups, containment, procfs
from tests.hostile.catalogue import BATCHES, BY_NAME, REFERENCE_ITEMS, ZOO

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = Path(__file__).with_name("manifests")
REFERENCE = ROOT / "conformance" / "manifests" / "reference.toml"
MARK = "CONFORMANCE_ZOO_MARK"
RUN_TIMEOUT = 300
pytestmark = pytest.mark.slow

FALLBACK = ("daemonizes", "forks_500")
"""What the run without cgroups takes: the two that only containment catches."""


def marked(mark: str) -> list[str]:
    """The command lines of live processes whose environment holds MARK."""
    needle = f"{MARK}={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(procfs.command_line(int(entry.name)) or entry.name)
        except OSError:
            continue
    return found


def harness_cgroups() -> set[Path]:
    """The cgroup folders of harness processes under this process's cgroups."""
    places = cgroups.parse_places(
        Path("/proc/self/mountinfo").read_text(), Path("/proc/self/cgroup").read_text()
    )
    if places is None:
        return set()
    parents = [places.unified, *([places.pids] if places.pids else [])]
    return {path for parent in parents for path in parent.glob(f"{cgroups.PREFIX}*")}


def owner_alive(folder: Path) -> bool:
    match = re.fullmatch(rf"{cgroups.PREFIX}(\d+)-(\d+)", folder.name)
    assert match, folder
    owner = procfs.process_info(int(match[1]))
    return owner is not None and owner.starttime == int(match[2])


@pytest.fixture
def private_tmp() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="zz-", dir="/tmp"))
    yield path
    leftovers = sorted(path.iterdir())
    subprocess.run(["rm", "-rf", str(path)], check=False)
    assert not leftovers, f"the run left {leftovers}"


def run_zoo(
    names: tuple[str, ...], tmp: Path, *options: str, **environment: str
) -> tuple[int, str, dict[str, Any], bytes]:
    """One run of the suite on NAMES and the reference: status, terminal output, report.json,
    report.html; asserts that nothing is left behind."""
    mark = secrets.token_hex(8)
    report = tmp / "report"
    hostile = [BY_NAME[name] for name in names]
    keyword = " or ".join(
        [f"({h.implementation} and {h.requirement} and {h.role})" for h in hostile]
        + list(REFERENCE_ITEMS)
    )
    manifests = [REFERENCE] + [MANIFESTS / f"{name}.toml" for name in names]
    before = harness_cgroups()
    run = subprocess.Popen(
        [sys.executable, "-m", "conformance", "run", "-j", "0", "--report", str(report)]
        + [argument for path in manifests for argument in ("--impl", str(path))]
        + ["-k", keyword, *options],
        cwd=ROOT,
        env={
            **os.environ,
            "CONFORMANCE_TMPDIR": str(tmp / "cases"),
            "PYTHONPATH": str(ROOT),
            MARK: mark,
            **environment,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    (tmp / "cases").mkdir()
    try:
        output, _ = run.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, 9)
        output, _ = run.communicate()
        pytest.fail(f"the run did not end within {RUN_TIMEOUT} s:\n{output.decode()[-3000:]}")
    left = marked(mark)
    assert not left, f"processes left running: {left}"
    assert not list((tmp / "cases").iterdir()), "the run left case folders"
    (tmp / "cases").rmdir()
    stale = {folder for folder in harness_cgroups() - before if not owner_alive(folder)}
    assert not stale, f"cgroups left by a harness that is gone: {stale}"
    document = json.loads((report / "report.json").read_text())
    html = (report / "report.html").read_bytes()
    subprocess.run(["rm", "-rf", str(report)], check=False)
    return run.returncode, output.decode("utf-8", errors="replace"), document, html


def check_verdicts(names: tuple[str, ...], document: dict[str, Any], output: str) -> None:
    results = {(r["implementation"], r["requirement"], r["role"]): r for r in document["results"]}
    for hostile in (BY_NAME[name] for name in names):
        result = results[(hostile.implementation, hostile.requirement, hostile.role)]
        assert result["outcome"] == hostile.outcome, (hostile, result["explanation"], output)
        if hostile.explanation:
            assert re.search(hostile.explanation, result["explanation"], re.S), (
                hostile.name,
                result["explanation"],
            )
        else:
            assert result["explanation"] == ""
    reference = [r for r in document["results"] if r["implementation"] == "reference"]
    assert len(reference) == 4, reference  # LIFE-1, LIFE-2 of filer-rep; REQREP-5, -6
    assert all(r["outcome"] == "pass" for r in reference), [
        (r["requirement"], r["role"], r["explanation"]) for r in reference
    ]


def check_readable(output: str, html: bytes) -> None:
    """No control character an implementation wrote reaches the terminal or the page raw."""
    for text, where in ((output.encode(), "terminal"), (html, "report.html")):
        for raw in (b"\x1b", b"\x00", b"\r", b"\x07", "\u202e".encode(), "\x9b".encode()):
            assert raw not in text, f"{raw!r} in the {where}"
    assert b"<script>alert" not in html


@pytest.mark.parametrize("batch", sorted(BATCHES))
def test_hostile_programs_get_their_verdicts_and_leave_nothing(
    batch: str, private_tmp: Path
) -> None:
    names = BATCHES[batch]
    options = ("-v",) if "garbage_output" in names else ()  # pytest's own report of failures
    code, output, document, html = run_zoo(names, private_tmp, *options)
    assert code == 1, output[-3000:]
    check_verdicts(names, document, output)
    check_readable(output, html)
    if "garbage_output" in names:  # the escapes are shown, as escapes, in both
        assert r"\x1b[2J\x1b[H\x1b[31;5mSCREEN CLEARED" in output
        assert rb"\x1b[2J\x1b[H\x1b[31;5mSCREEN CLEARED" in html
        assert rb"&lt;script&gt;alert(" in html


def test_without_cgroups_the_sweep_still_ends_everything(private_tmp: Path) -> None:
    code, output, document, _ = run_zoo(
        FALLBACK, private_tmp, **{containment.MECHANISM_VARIABLE: containment.SUBREAPER}
    )
    assert code == 1, output[-3000:]
    check_verdicts(FALLBACK, document, output)


def test_every_program_is_in_one_batch_and_has_its_manifest() -> None:
    batched = [name for names in BATCHES.values() for name in names]
    assert sorted(batched) == sorted(hostile.name for hostile in ZOO)
    assert {path.stem for path in MANIFESTS.glob("*.toml")} == set(BY_NAME)
    for hostile in ZOO:
        text = (MANIFESTS / f"{hostile.name}.toml").read_text()
        assert f'name = "{hostile.implementation}"' in text
        assert f"[roles.{hostile.role}]" in text
        assert f"tests.hostile.{hostile.name}" in text
        program = Path(__file__).with_name(f"{hostile.name}.py").read_text()
        assert program.startswith('"""Hostile: ')
