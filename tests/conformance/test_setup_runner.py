"""Tests of the setup runner (conformance.setup_runner) and of ``setup_inputs`` in manifests.

Setup is an implementation's build. The property that matters (issue 13): after a source
edit, the suite tests the new build, never the old one. So, by default, setup runs at every
run unless the manifest lists the files it reads (``setup_inputs``) and none of them changed
since it last succeeded; ``--setup always`` and ``--setup never`` override. Concurrent
callers (xdist, several runs) are serialised; a failure is never remembered.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.manifest import Manifest, ManifestError, load_manifest
from conformance.setup_runner import (
    SetupError,
    SetupMode,
    SetupOutcome,
    input_files,
    run_setup,
)

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "conformance" / "manifests" / "reference.toml"
GOOD_ROLE = '[roles.filer-rep]\nargv = ["{python}", "-m", "x", "--bind", "{endpoint}"]\n'
APPEND = (
    "import sys, time; open(sys.argv[1], 'a').write('ran' + chr(10)); "
    "time.sleep(float(sys.argv[2]))"
)
"""A setup command that logs each run to argv[1], then sleeps argv[2] seconds."""


def write(folder: Path, text: str, name: str = "impl.toml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def logging_manifest(
    folder: Path, log: Path, *, inputs: str | None = None, sleep: float = 0.0
) -> Manifest:
    """A manifest whose setup appends ``ran`` to LOG (twice listed, deduplicated) and writes
    ``here`` in its folder; INPUTS, if given, is its ``setup_inputs`` (TOML)."""
    declared = f"setup_inputs = {inputs}" if inputs is not None else ""
    path = write(
        folder,
        f"""
        name = "x"
        setup = [["{{python}}", "-c", "{APPEND}", "{log}", "{sleep}"]]
        {declared}
        [roles.filer-rep]
        argv = ["p", "{{endpoint}}"]
        setup = [["{{python}}", "-c", "{APPEND}", "{log}", "{sleep}"]]
        [roles.broker]
        argv = ["p", "{{frontend}}", "{{backend}}"]
        setup = [["{{python}}", "-c", "import pathlib; pathlib.Path('here').write_text('x')"]]
        """,
    )
    return load_manifest(path)


def runs(log: Path) -> int:
    return log.read_text().count("ran\n") if log.exists() else 0


# --- when setup runs --------------------------------------------------------------------------


def test_without_inputs_setup_runs_at_every_run(tmp_path: Path) -> None:
    log, state = tmp_path / "log", tmp_path / "state"
    manifest = logging_manifest(tmp_path, log)
    assert len(manifest.setup_commands()) == 2  # the repeated command is deduplicated
    assert run_setup(manifest, state_dir=state) is SetupOutcome.RAN
    assert (tmp_path / "here").exists()  # run from {here}
    assert run_setup(load_manifest(manifest.path), state_dir=state) is SetupOutcome.RAN
    assert runs(log) == 2


def test_with_unchanged_inputs_setup_runs_once(tmp_path: Path) -> None:
    log, state = tmp_path / "log", tmp_path / "state"
    (tmp_path / "main.c").write_text("int main(void) { return 0; }\n")
    manifest = logging_manifest(tmp_path, log, inputs='["*.c"]')
    assert run_setup(manifest, state_dir=state) is SetupOutcome.RAN
    assert run_setup(manifest, state_dir=state) is SetupOutcome.UP_TO_DATE
    assert run_setup(load_manifest(manifest.path), state_dir=state) is SetupOutcome.UP_TO_DATE
    assert runs(log) == 1


def test_setup_runs_again_when_an_input_changes(tmp_path: Path) -> None:
    log, state = tmp_path / "log", tmp_path / "state"
    source = tmp_path / "src" / "main.c"
    source.parent.mkdir()
    source.write_text("version 1\n")
    manifest = logging_manifest(tmp_path, log, inputs='["src"]')  # a folder: all files in it
    run_setup(manifest, state_dir=state)
    source.write_text("version 2\n")  # an edit
    assert run_setup(manifest, state_dir=state) is SetupOutcome.RAN
    (source.parent / "util.h").write_text("#pragma once\n")  # a new file
    assert run_setup(manifest, state_dir=state) is SetupOutcome.RAN
    (source.parent / "util.h").rename(source.parent / "util2.h")  # a rename
    assert run_setup(manifest, state_dir=state) is SetupOutcome.RAN
    assert run_setup(manifest, state_dir=state) is SetupOutcome.UP_TO_DATE
    assert runs(log) == 4


def test_setup_runs_again_after_the_manifest_changes(tmp_path: Path) -> None:
    log, state = tmp_path / "log", tmp_path / "state"
    (tmp_path / "main.c").write_text("x\n")
    manifest = logging_manifest(tmp_path, log, inputs='["*.c"]')
    run_setup(manifest, state_dir=state)
    with manifest.path.open("a") as file:
        file.write("# changed\n")
    assert run_setup(load_manifest(manifest.path), state_dir=state) is SetupOutcome.RAN
    assert runs(log) == 2


def test_always_and_never(tmp_path: Path) -> None:
    log, state = tmp_path / "log", tmp_path / "state"
    (tmp_path / "main.c").write_text("x\n")
    manifest = logging_manifest(tmp_path, log, inputs='["*.c"]')
    assert run_setup(manifest, mode="never", state_dir=state) is SetupOutcome.SKIPPED
    assert runs(log) == 0
    assert run_setup(manifest, mode=SetupMode.ALWAYS, state_dir=state) is SetupOutcome.RAN
    assert run_setup(manifest, mode=SetupMode.ALWAYS, state_dir=state) is SetupOutcome.RAN
    assert run_setup(manifest, state_dir=state) is SetupOutcome.UP_TO_DATE  # always stamps too
    (tmp_path / "main.c").write_text("y\n")
    assert run_setup(manifest, mode="never", state_dir=state) is SetupOutcome.SKIPPED
    assert runs(log) == 2


def test_setup_runs_once_across_processes(tmp_path: Path) -> None:
    log, state = tmp_path / "log", tmp_path / "state"
    (tmp_path / "main.c").write_text("x\n")
    manifest = logging_manifest(tmp_path, log, inputs='["*.c"]', sleep=0.5)
    code = (
        "import sys; from conformance.manifest import load_manifest; "
        "from conformance.setup_runner import run_setup; "
        "run_setup(load_manifest(sys.argv[1]), state_dir=sys.argv[2])"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(manifest.path), str(state)], cwd=REPO, env=env
        )
        for _ in range(3)
    ]
    assert [process.wait(timeout=60) for process in processes] == [0, 0, 0]
    assert runs(log) == 1


def test_state_goes_under_conformance_tmpdir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "main.c").write_text("x\n")
    manifest = logging_manifest(tmp_path, tmp_path / "log", inputs='["*.c"]')
    monkeypatch.setenv("CONFORMANCE_TMPDIR", str(tmp_path / "mine"))
    run_setup(manifest)
    [folder] = (tmp_path / "mine").iterdir()
    assert folder.name.startswith("zmq-conformance-setup-")
    assert (folder / "stamp.json").exists()


# --- failures -----------------------------------------------------------------------------


def test_setup_failure_reports_output_and_is_not_remembered(tmp_path: Path) -> None:
    state = tmp_path / "state"
    flag = tmp_path / "fixed"
    (tmp_path / "main.c").write_text("x\n")
    script = (
        "import os, sys; print('compiling', flush=True); "
        f"sys.exit(0) if os.path.exists({str(flag)!r}) else "
        "(print('error: boom', file=sys.stderr), sys.exit(3))"
    )
    path = write(
        tmp_path,
        'name = "x"\n'
        + f"setup = [['{{python}}', '-c', {script!r}]]\n"
        + 'setup_inputs = ["*.c"]\n'
        + GOOD_ROLE,
    )
    manifest = load_manifest(path)
    flag.touch()
    assert run_setup(manifest, state_dir=state) is SetupOutcome.RAN
    flag.unlink()
    (tmp_path / "main.c").write_text("broken\n")
    with pytest.raises(SetupError) as info:
        run_setup(manifest, state_dir=state)
    message = str(info.value)
    assert str(path.resolve()) in message
    assert "failed with exit status 3" in message
    assert message.endswith("compiling\nerror: boom"), message
    (tmp_path / "main.c").write_text("x\n")  # back to the inputs of the good build:
    with pytest.raises(SetupError):  # the failed one may have clobbered it, so build again
        run_setup(manifest, state_dir=state)
    flag.touch()
    assert run_setup(manifest, state_dir=state) is SetupOutcome.RAN


def test_setup_timeout_kills_the_command(tmp_path: Path) -> None:
    state = tmp_path / "state"
    script = "import time; print('waiting', flush=True); time.sleep(60)"
    path = write(
        tmp_path, 'name = "x"\n' + f"setup = [['{{python}}', '-c', {script!r}]]\n" + GOOD_ROLE
    )
    start = time.monotonic()
    with pytest.raises(SetupError, match=r"timed out after 1 s and was killed\. Output:\nwaiting"):
        run_setup(load_manifest(path), timeout=1, state_dir=state)
    assert time.monotonic() - start < 20


def test_setup_command_that_cannot_start(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "x"\nsetup = [["/nonexistent/tool"]]\n' + GOOD_ROLE)
    with pytest.raises(SetupError, match=r"`/nonexistent/tool`.*could not start: No such file"):
        run_setup(load_manifest(path), state_dir=tmp_path / "state")


def test_an_input_pattern_that_matches_nothing_is_an_error(tmp_path: Path) -> None:
    log = tmp_path / "log"
    manifest = logging_manifest(tmp_path, log, inputs='["src/*.c"]')
    with pytest.raises(SetupError, match=r"setup_inputs: 'src/\*\.c' matches no file in "):
        run_setup(manifest, state_dir=tmp_path / "state")
    assert runs(log) == 0


def test_setup_without_commands_does_nothing(tmp_path: Path) -> None:
    outcome = run_setup(load_manifest(REFERENCE), state_dir=tmp_path / "state")
    assert outcome is SetupOutcome.NO_COMMANDS
    assert not (tmp_path / "state").exists()


# --- setup_inputs in the manifest ---------------------------------------------------------


def test_input_patterns_are_globs_from_here(tmp_path: Path) -> None:
    (tmp_path / "src" / "deep").mkdir(parents=True)
    for name in ("src/a.c", "src/deep/b.c", "src/deep/c.h", "Makefile", "other.txt"):
        (tmp_path / name).write_text(name)
    path = write(
        tmp_path,
        'name = "x"\nsetup = [["make"]]\n'
        'setup_inputs = ["src/**/*.c", "{here}/Makefile", "src/a.c"]\n' + GOOD_ROLE,
    )
    manifest = load_manifest(path)
    assert manifest.setup_input_patterns() == ("src/**/*.c", f"{tmp_path}/Makefile", "src/a.c")
    found = input_files(manifest.here, manifest.setup_input_patterns())
    assert found == [tmp_path / "Makefile", tmp_path / "src/a.c", tmp_path / "src/deep/b.c"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('setup_inputs = "src/*.c"', "setup_inputs: is a string, but must be a list of glob"),
        ("setup_inputs = [1]", "setup_inputs[0]: is an integer, but must be a string"),
        ('setup_inputs = [""]', "setup_inputs[0]: is empty, but must be a glob pattern"),
        ('setup_inputs = ["{tmp}/x"]', "setup_inputs[0]: {tmp} cannot be used in a setup"),
    ],
)
def test_bad_setup_inputs(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, f'name = "x"\nsetup = [["make"]]\n{text}\n' + GOOD_ROLE)
    with pytest.raises(ManifestError, match=re.escape(expected)):
        load_manifest(path)


def test_setup_inputs_without_setup(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "x"\nsetup_inputs = ["*.c"]\n' + GOOD_ROLE)
    with pytest.raises(ManifestError, match="setup_inputs: is given, but there is no setup"):
        load_manifest(path)


# --- the whole story: edit the source, run the suite again ---------------------------------

BUILD = """\
import pathlib
source = pathlib.Path("src/filer_req.py.in").read_text()
pathlib.Path("build").mkdir(exist_ok=True)
pathlib.Path("build/filer_req.py").write_text("# built from src/filer_req.py.in\\n" + source)
"""
"""The "compiler": copies the source into build/, as make would produce a binary."""

REQUESTER = """\
import json, os, sys, zmq
file, endpoint = sys.argv[1], sys.argv[2]
context = zmq.Context()
req = context.socket(zmq.REQ)
req.linger = 0
req.connect(endpoint)
sys.stdout.buffer.write(GREETING + os.fsencode(file) + b"\\n")
sys.stdout.flush()
req.send(json.dumps({"path": file}).encode())
sys.stdout.buffer.write(b"Received response: " + req.recv() + b"\\n")
sys.stdout.flush()
context.destroy(linger=0)
"""
"""A filer-req (REQREP-5) whose first line is GREETING: wrong in version 1, right in 2."""

COMPILED = """\
name = "compiled"
setup = [["{python}", "build.py"]]
setup_inputs = ["src/*.in"]

[roles.filer-req]
argv = ["{python}", "{here}/build/filer_req.py", "{file}", "{endpoint}"]
"""


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A folder under /tmp with a short name (ipc paths), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="zcs", dir="/tmp"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_suite(folder: Path) -> subprocess.CompletedProcess[str]:
    """``python -m conformance run`` on the compiled implementation, REQREP-5 only."""
    command = ["run", "--impl", str(folder / "impl.toml"), "-k", "REQREP-5", "-j", "0"]
    command += ["--profile", "dev", "--report", str(folder / "out")]
    return subprocess.run(
        [sys.executable, "-m", "conformance", *command],
        cwd=REPO,
        env={**os.environ, "CONFORMANCE_TMPDIR": str(folder)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_editing_the_source_of_a_compiled_implementation_tests_the_new_build(
    short_tmp: Path,
) -> None:
    """Issue 13: after editing a compiled implementation's source, the suite silently tested
    the old binary. Now the next run rebuilds (its setup_inputs changed), and judges it."""
    (short_tmp / "src").mkdir()
    (short_tmp / "build.py").write_text(BUILD)
    (short_tmp / "impl.toml").write_text(COMPILED)
    source = short_tmp / "src" / "filer_req.py.in"
    source.write_text('GREETING = b"Sending a request for "\n' + REQUESTER)

    first = run_suite(short_tmp)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "REQREP-5" in first.stdout
    built = short_tmp / "build" / "filer_req.py"
    assert b"Sending a request for" in built.read_bytes()

    source.write_text('GREETING = b"Sending request for "\n' + REQUESTER)  # the fix
    second = run_suite(short_tmp)
    assert second.returncode == 0, second.stdout + second.stderr
    assert b"Sending request for" in built.read_bytes()


def test_the_command_line_passes_setup_on() -> None:
    from conformance.__main__ import build_parser, pytest_arguments

    parser = build_parser()
    default = parser.parse_args(["run", "--impl", "m.toml"])
    assert default.setup == "auto"
    argv = pytest_arguments(parser.parse_args(["run", "--impl", "m.toml", "--setup", "always"]))
    assert argv[argv.index("--setup") + 1] == "always"
    assert parser.parse_args(["replay", "case.json", "--setup", "never"]).setup == "never"
    with pytest.raises(SystemExit):
        parser.parse_args(["run", "--impl", "m.toml", "--setup", "sometimes"])
