"""A manifest whose program cannot be started is a usage error naming roles.<role>.argv[0]."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conformance.manifest import ManifestError, load_manifest
from conformance.programs import check_programs

ROOT = Path(__file__).resolve().parents[2]


def manifest(tmp_path: Path, argv0: str, *, cwd: str | None = None, path: str | None = None):
    lines = ['name = "m"', "[roles.filer-rep]", f'argv = ["{argv0}", "{{endpoint}}", "{{root}}"]']
    if cwd is not None:
        lines.append(f'cwd = "{cwd}"')
    if path is not None:
        lines.append(f'env = {{PATH = "{path}"}}')
    file = tmp_path / "m.toml"
    file.write_text("\n".join(lines) + "\n")
    return load_manifest(file)


def problem(tmp_path: Path, argv0: str, **options: str) -> str | None:
    try:
        check_programs(manifest(tmp_path, argv0, **options))
    except ManifestError as error:
        (found,) = error.problems
        assert found.key == "roles.filer-rep.argv[0]"
        return found.message
    return None


def test_programs_that_exist_pass(tmp_path: Path) -> None:
    assert problem(tmp_path, "{python}") is None
    assert problem(tmp_path, "sh") is None
    assert problem(tmp_path, "/bin/sh") is None
    script = tmp_path / "bin" / "serve"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    assert problem(tmp_path, "{here}/bin/serve") is None
    assert problem(tmp_path, "./bin/serve", cwd="{here}") is None
    assert problem(tmp_path, "serve", path=str(script.parent)) is None


def test_programs_that_do_not_exist_are_named(tmp_path: Path) -> None:
    assert "no such file" in (problem(tmp_path, "{here}/bin/missing") or "")
    assert "not a command on PATH" in (problem(tmp_path, "no-such-command-zc") or "")
    assert "not a command on PATH" in (problem(tmp_path, "sh", path=str(tmp_path)) or "")
    plain = tmp_path / "plain.txt"
    plain.write_text("not a program")
    assert "not an executable file" in (problem(tmp_path, "{here}/plain.txt") or "")
    assert "not an executable file" in (problem(tmp_path, "{here}") or "")


def test_programs_known_only_per_case_are_not_checked(tmp_path: Path) -> None:
    assert problem(tmp_path, "{tmp}/built") is None


def test_the_run_stops_with_a_usage_error(tmp_path: Path) -> None:
    file = manifest(tmp_path, "{here}/bin/filer-rep").path
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance",
            "run",
            "--impl",
            str(file),
            "-j",
            "0",
            "--report",
            str(tmp_path / "report"),
        ],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 4, completed.stdout + completed.stderr
    assert "roles.filer-rep.argv[0]" in completed.stderr
    assert "no such file" in completed.stderr
    assert len(completed.stdout + completed.stderr) < 5000
