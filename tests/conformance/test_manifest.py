"""Tests of the manifest (conformance.manifest): loading, validation messages, expansion.

Every validation error must name the file, the key path and the fix, so each case below
matches the key path and a piece of the hint. (Running setup: test_setup_runner.py.)
"""

from __future__ import annotations

import hashlib
import os
import pickle
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
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.manifest import (
    PLACEHOLDERS,
    ROLE_PLACEHOLDERS,
    Invocation,
    ManifestError,
    MissingValue,
    RoleSpec,
    expand,
    key_path,
    load_manifest,
    placeholders,
    resolve_endpoint,
)
from reference import messages

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "conformance" / "manifests" / "reference.toml"
GOOD_ROLE = '[roles.filer-rep]\nargv = ["{python}", "-m", "x", "--bind", "{endpoint}"]\n'


def write(tmp_path: Path, text: str, name: str = "impl.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problem(tmp_path: Path, text: str) -> str:
    """The message of the ManifestError that loading TEXT raises."""
    path = write(tmp_path, text)
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    message = str(info.value)
    assert str(path.resolve()) in message, message
    return message


# --- the reference manifest ----------------------------------------------------------------


def test_reference_manifest_declares_every_role() -> None:
    manifest = load_manifest(REFERENCE)
    assert manifest.name == "reference"
    assert manifest.path == REFERENCE
    assert manifest.here == REFERENCE.parent
    assert tuple(manifest.roles) == spec.ROLES
    assert all(manifest.implements(role) for role in spec.ROLES)
    assert manifest.sha256 == hashlib.sha256(REFERENCE.read_bytes()).hexdigest()
    assert manifest.setup_commands() == ()
    assert dict(manifest.expected_failures) == {}


def test_reference_ready_patterns_match_the_reference_lines() -> None:
    manifest = load_manifest(REFERENCE)

    def ready(role: str) -> re.Pattern[str]:
        pattern = manifest.role(role).ready
        assert pattern is not None
        return pattern

    assert ready("watcher-pub").search(messages.READY_PUB)
    assert ready("filer-rep").search(messages.READY_REP)
    assert ready("filer-rep-cluster").search(messages.READY_REP)
    assert ready("broker").search(messages.broker_ready_line("tcp://127.0.0.1:1", "ipc://b"))
    assert not ready("broker").search("Worker 12 is online.")
    for client in ("watcher-sub", "filer-req", "filer-req-loop"):
        assert manifest.role(client).ready is None


def test_reference_invocation_of_filer_rep(tmp_path: Path) -> None:
    manifest = load_manifest(REFERENCE)
    values = {"endpoint": "ipc:///tmp/x.ipc", "root": "/srv/root", "tmp": str(tmp_path)}
    invocation = manifest.invocation("filer-rep", values)
    assert invocation == Invocation(
        argv=(
            sys.executable,
            "-m",
            "reference.filer_rep",
            "--bind",
            "ipc:///tmp/x.ipc",
            "--root",
            "/srv/root",
        ),
        cwd=tmp_path,
        env={"PYTHONPATH": f"{REFERENCE.parent}/../.."},
    )
    assert Path(invocation.env["PYTHONPATH"]).resolve() == REPO


def values_for(role: str, tmp: Path) -> dict[str, str]:
    every = {
        "tmp": str(tmp),
        "endpoint": f"ipc://{tmp}/e.ipc",
        "frontend": f"ipc://{tmp}/f.ipc",
        "backend": f"ipc://{tmp}/b.ipc",
        "file": str(tmp / "watched.txt"),
        "root": str(tmp),
        "workers": "1",
        "count": "2",
    }
    assert set(every) == set(PLACEHOLDERS) - {"python", "here"}
    return {name: every[name] for name in ROLE_PLACEHOLDERS[role] if name in every}


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A temp dir with a short path, since unix socket paths are limited to ~100 bytes."""
    path = Path(tempfile.mkdtemp(prefix="zm", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.parametrize("role", spec.ROLES)
def test_reference_roles_start_from_their_tmp_cwd(role: str, short_tmp: Path) -> None:
    """Each argv runs from a foreign cwd: PYTHONPATH finds the package, argparse accepts it."""
    manifest = load_manifest(REFERENCE)
    invocation = manifest.invocation(role, values_for(role, short_tmp))
    result = subprocess.run(
        [*invocation.argv, "--help"],
        cwd=invocation.cwd,
        env={**os.environ, **invocation.env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"reference.{role.replace('-', '_')}" in result.stdout


@pytest.mark.parametrize("role", spec.SERVERS)
def test_reference_servers_print_a_line_their_ready_pattern_matches(
    role: str, short_tmp: Path
) -> None:
    manifest = load_manifest(REFERENCE)
    values = values_for(role, short_tmp)
    (short_tmp / "watched.txt").write_text("x")
    invocation = manifest.invocation(role, values)
    pattern = manifest.role(role).ready
    assert pattern is not None
    process = subprocess.Popen(
        invocation.argv,
        cwd=invocation.cwd,
        env={**os.environ, **invocation.env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        seen = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            seen.append(line)
            if pattern.search(line.rstrip("\n")):
                break
        else:
            pytest.fail(f"no ready line within 30 s: {seen}")
        assert seen, "no output"
        assert pattern.search(seen[-1]), seen
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


# --- a good manifest with everything -------------------------------------------------------


def test_full_manifest_loads(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        name = "go"
        description = "Go demos"
        setup = [["go", "build", "./..."]]
        expected_failures = {"REQREP-7" = "sends concurrently"}

        [roles.filer-rep]
        argv = ["{here}/bin/filer-rep", "--bind={endpoint}", "--root", "{root}"]
        ready = "^Listening"
        cwd = "{here}"
        env = {GODEBUG = "x=1", DATA = "{tmp}/data", BRACES = "{{literal}}"}
        setup = [["go", "build", "./..."], ["make", "filer"]]

        [roles.broker]
        argv = ["{here}/bin/broker"]
        frontend = "tcp://localhost:5433"
        backend = "ipc://filer-dealer.ipc"
        """,
    )
    manifest = load_manifest(path)
    assert manifest.description == "Go demos"
    assert dict(manifest.expected_failures) == {"REQREP-7": "sends concurrently"}
    assert manifest.implements("broker")
    assert not manifest.implements("watcher-pub")
    with pytest.raises(KeyError, match=r"does not implement 'watcher-pub'.*filer-rep, broker"):
        manifest.role("watcher-pub")
    rep = manifest.role("filer-rep")
    assert rep.cwd == "{here}"
    assert rep.placeholders_used() == {"here", "endpoint", "root", "tmp"}
    assert manifest.setup_commands() == (("go", "build", "./..."), ("make", "filer"))
    with pytest.raises(MissingValue, match=re.escape("{tmp} in roles.filer-rep.env.DATA")):
        manifest.invocation("filer-rep", {"endpoint": "e", "root": "/r"})
    values = {"endpoint": "tcp://127.0.0.1:9", "root": "/r", "tmp": "/t"}
    invocation = manifest.invocation("filer-rep", values)
    assert invocation.argv == (
        f"{tmp_path}/bin/filer-rep",
        "--bind=tcp://127.0.0.1:9",
        "--root",
        "/r",
    )
    assert invocation.cwd == tmp_path
    assert invocation.env == {"GODEBUG": "x=1", "DATA": "/t/data", "BRACES": "{literal}"}


def test_fixed_endpoints_win_over_chosen_values(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        name = "book"
        [roles.broker]
        argv = ["node", "{here}/broker.js", "{frontend}"]
        frontend = "tcp://127.0.0.1:5433"
        backend = "ipc://filer-dealer.ipc"
        [roles.filer-rep-cluster]
        argv = ["node", "{here}/cluster.js"]
        endpoint = "tcp://127.0.0.1:5433"
        """,
    )
    manifest = load_manifest(path)
    broker = manifest.role("broker")
    assert dict(broker.fixed) == {
        "frontend": "tcp://127.0.0.1:5433",
        "backend": "ipc://filer-dealer.ipc",
    }
    assert broker.endpoint("frontend", "ipc:///tmp/chosen") == "tcp://127.0.0.1:5433"
    assert manifest.role("filer-rep-cluster").endpoint("backend", "ipc://x") == "ipc://x"
    values = {"frontend": "ipc:///tmp/chosen", "backend": "ipc:///tmp/b", "tmp": "/t"}
    invocation = manifest.invocation("broker", values)
    assert invocation.argv[-1] == "tcp://127.0.0.1:5433"
    assert invocation.cwd == Path("/t")


def test_resolve_endpoint() -> None:
    cwd = Path("/run/x")
    assert resolve_endpoint("ipc://filer-dealer.ipc", cwd) == "ipc:///run/x/filer-dealer.ipc"
    assert resolve_endpoint("ipc:///abs.ipc", cwd) == "ipc:///abs.ipc"
    assert resolve_endpoint("ipc://@abstract", cwd) == "ipc://@abstract"
    assert resolve_endpoint("tcp://127.0.0.1:5433", cwd) == "tcp://127.0.0.1:5433"


def test_relative_cwd_is_from_here(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "x"\n' + GOOD_ROLE + 'cwd = "build"\n')
    invocation = load_manifest(path).invocation("filer-rep", {"endpoint": "e"})
    assert invocation.cwd == tmp_path / "build"


def test_sha256_is_of_the_bytes_and_stable(tmp_path: Path) -> None:
    text = 'name = "x"\n' + GOOD_ROLE
    path = write(tmp_path, text)
    first, second = load_manifest(path), load_manifest(path)
    assert first.sha256 == second.sha256 == hashlib.sha256(text.encode()).hexdigest()
    write(tmp_path, text + "# a comment\n")
    assert load_manifest(path).sha256 != first.sha256


# --- validation ----------------------------------------------------------------------------

ROLE = "[roles.filer-rep]\n"
ARGV = 'argv = ["prog", "{endpoint}"]\n'

INVALID = [
    pytest.param("", "name: is missing", 'name = "', id="name-missing"),
    pytest.param(
        "name = 3\n" + ROLE + ARGV, "name: is an integer", "must be a string", id="name-int"
    ),
    pytest.param('name = "  "\n' + ROLE + ARGV, "name: is empty", 'name = "', id="name-empty"),
    pytest.param(
        'name = "x"\nnmae = 1\n' + ROLE + ARGV,
        "nmae: is not a manifest key",
        "Did you mean 'name'? The top-level keys are name, description",
        id="top-level-unknown",
    ),
    pytest.param(
        'name = "x"\n[filer-rep]\n' + ARGV,
        "filer-rep: is not a manifest key",
        "filer-rep is a role: declare it as [roles.filer-rep]",
        id="role-at-top-level",
    ),
    pytest.param('name = "x"\n', "roles: is missing", "[roles.filer-rep]", id="roles-missing"),
    pytest.param(
        'name = "x"\nroles = {}\n', "roles: declares no role", "The roles are", id="no-role"
    ),
    pytest.param(
        'name = "x"\nroles = 1\n', "roles: is an integer", "must be a table", id="roles-int"
    ),
    pytest.param(
        'name = "x"\n[roles.filer-reply]\n' + ARGV,
        "roles.filer-reply: 'filer-reply' is not a role",
        "Did you mean 'filer-rep'? The roles are watcher-pub, watcher-sub, filer-rep",
        id="role-unknown",
    ),
    pytest.param(
        'name = "x"\n[roles]\nfiler-rep = "prog"\n',
        "roles.filer-rep: is a string",
        "must be a table: write [roles.filer-rep]",
        id="role-not-table",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + ARGV + "redy = 'x'\n",
        "roles.filer-rep.redy: is not a key of a role",
        "Did you mean 'ready'? The keys of filer-rep are argv, ready, cwd, env, setup, endpoint",
        id="role-key-unknown",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + ARGV + "frontend = 'tcp://127.0.0.1:1'\n",
        "roles.filer-rep.frontend: filer-rep has no frontend",
        "its endpoints are endpoint",
        id="endpoint-key-of-other-role",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "ready = 'x'\n",
        "roles.filer-rep.argv: is missing",
        'argv = ["{python}", "-m"',
        id="argv-missing",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = []\n",
        "roles.filer-rep.argv: is an empty list",
        "non-empty list of strings",
        id="argv-empty",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = 'prog {endpoint}'\n",
        "roles.filer-rep.argv: is a string",
        "one string per argument (it is not split into words)",
        id="argv-string",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog', '{endpoint}', 5]\n",
        "roles.filer-rep.argv[2]: is an integer",
        'must be a string, e.g. "--bind"',
        id="argv-int",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['', '{endpoint}']\n",
        "roles.filer-rep.argv[0]: is empty",
        "name the program",
        id="argv0-empty",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog', '--bind', '{endpiont}']\n",
        "roles.filer-rep.argv[2]: '{endpiont}' is not a placeholder",
        "Did you mean 'endpoint'? The placeholders of filer-rep are {python}, {here}, {tmp}, "
        "{endpoint}, {root}; write {{ and }} for literal braces",
        id="placeholder-unknown",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog', '{endpoint}', '{}']\n",
        "roles.filer-rep.argv[2]: '{}' names nothing",
        "The placeholders of filer-rep are",
        id="placeholder-empty",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog', '{endpoint}', '{file}']\n",
        "roles.filer-rep.argv[2]: {file} is not given to filer-rep",
        "the placeholders of filer-rep are {python}, {here}, {tmp}, {endpoint}, {root}",
        id="placeholder-of-other-role",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog', '--bind={endpoint']\n",
        "roles.filer-rep.argv[1]: '--bind={endpoint': the '{' at character 8 is never closed",
        "Write {{ and }} for a literal brace",
        id="brace-unclosed",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog', '{endpoint}', 'a}b']\n",
        "roles.filer-rep.argv[2]: 'a}b': the '}' at character 2 closes nothing",
        "Write {{ and }} for a literal brace",
        id="brace-stray-close",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog', '{a{endpoint}']\n",
        "roles.filer-rep.argv[1]: '{a{endpoint}': the '{' at character 1 is never closed",
        "Write {{ and }}",
        id="brace-nested",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + ARGV + "ready = 5\n",
        "roles.filer-rep.ready: is an integer",
        'must be a string, e.g. ready = "Listening for zmq requesters"',
        id="ready-int",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + ARGV + "ready = 'Listening (for'\n",
        "roles.filer-rep.ready: 'Listening (for' is not a valid regular expression "
        "(missing ), unterminated subpattern at position 10)",
        "escape special characters with a backslash",
        id="ready-bad-regex",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + ARGV + "ready = ''\n",
        "roles.filer-rep.ready: is empty, which would match any line",
        "leave ready out",
        id="ready-empty",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + ARGV + "env = 'A=1'\n",
        "roles.filer-rep.env: is a string",
        "must be a table of strings, e.g. env = {NODE_ENV",
        id="env-string",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + ARGV + "env = {A = 1}\n",
        "roles.filer-rep.env.A: is an integer",
        "must be a string",
        id="env-value-int",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + ARGV + "env = {\"A=B\" = '1'}\n",
        'roles.filer-rep.env."A=B": is not a usable variable name',
        "without '='",
        id="env-name-bad",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + ARGV + "env = {A = '{count}'}\n",
        "roles.filer-rep.env.A: {count} is not given to filer-rep",
        "{endpoint}, {root}",
        id="env-placeholder",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + ARGV + "cwd = ['a']\n",
        "roles.filer-rep.cwd: is an array",
        'must be a string, e.g. cwd = "{here}"',
        id="cwd-array",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + ARGV + "cwd = '{hre}'\n",
        "roles.filer-rep.cwd: '{hre}' is not a placeholder",
        "Did you mean 'here'?",
        id="cwd-placeholder",
    ),
    pytest.param(
        'name = "x"\nsetup = ["npm", "ci"]\n' + ROLE + ARGV,
        "setup: is one command",
        'must be a list of commands (each a list of words): write setup = [["npm", "ci"]]',
        id="setup-flat",
    ),
    pytest.param(
        'name = "x"\nsetup = [["make"], "npm ci"]\n' + ROLE + ARGV,
        "setup[1]: is a string",
        'each command is a list of words (no shell), e.g. setup = [["npm", "ci"], ["make"]]',
        id="setup-string-command",
    ),
    pytest.param(
        'name = "x"\nsetup = "npm ci"\n' + ROLE + ARGV,
        "setup: is a string",
        "must be a list of commands",
        id="setup-string",
    ),
    pytest.param(
        'name = "x"\nsetup = [[]]\n' + ROLE + ARGV,
        "setup[0]: is an empty list",
        "non-empty list of strings",
        id="setup-empty-command",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + ARGV + "setup = [['make', 1]]\n",
        "roles.filer-rep.setup[0][1]: is an integer",
        "must be a string",
        id="role-setup-int",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + ARGV + "setup = [['make', '{tmp}']]\n",
        "roles.filer-rep.setup[0][1]: {tmp} cannot be used in a setup command",
        "Only {python}, {here} are known there",
        id="setup-placeholder",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog']\nendpoint = 5433\n",
        "roles.filer-rep.endpoint: is an integer",
        'must be a string, e.g. "tcp://127.0.0.1:5433"',
        id="endpoint-int",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog']\nendpoint = 'udp://127.0.0.1:1'\n",
        "roles.filer-rep.endpoint: 'udp://127.0.0.1:1' is neither tcp:// nor ipc://",
        '"tcp://127.0.0.1:5433" or "ipc://filer-dealer.ipc"',
        id="endpoint-scheme",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog']\nendpoint = 'tcp://10.0.0.1:5433'\n",
        "roles.filer-rep.endpoint: 'tcp://10.0.0.1:5433' is not on 127.0.0.1 or localhost",
        "this suite only runs on loopback): write tcp://127.0.0.1:5433",
        id="endpoint-not-loopback",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog']\nendpoint = 'tcp://*:5433'\n",
        "roles.filer-rep.endpoint: 'tcp://*:5433' is not on 127.0.0.1 or localhost",
        "the harness connects on loopback): write tcp://127.0.0.1:5433",
        id="endpoint-wildcard",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog']\nendpoint = 'tcp://127.0.0.1'\n",
        "roles.filer-rep.endpoint: 'tcp://127.0.0.1' has no port",
        "write e.g. tcp://127.0.0.1:5433",
        id="endpoint-no-port",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog']\nendpoint = 'tcp://127.0.0.1:*'\n",
        "roles.filer-rep.endpoint: 'tcp://127.0.0.1:*': the port '*' is not a number",
        "the concrete port the program uses",
        id="endpoint-wildcard-port",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog']\nendpoint = 'ipc://'\n",
        "roles.filer-rep.endpoint: 'ipc://' has no path",
        "ipc://filer-dealer.ipc",
        id="endpoint-ipc-empty",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog']\nendpoint = 'ipc://{tmp}/x'\n",
        "roles.filer-rep.endpoint: 'ipc://{tmp}/x': a fixed endpoint is the literal one",
        "without placeholders",
        id="endpoint-placeholder",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['prog']\n",
        "roles.filer-rep: the harness cannot tell where filer-rep's endpoint is",
        "put {endpoint} in argv (or env), or, if the program hard-codes it, declare it, e.g. "
        'endpoint = "tcp://127.0.0.1:5433"',
        id="endpoint-unused",
    ),
    pytest.param(
        'name = "x"\n[roles.broker]\nargv = ["prog", "{frontend}"]\n',
        "roles.broker: the harness cannot tell where broker's backend is",
        "put {backend} in argv",
        id="broker-backend-unused",
    ),
    pytest.param(
        'name = "x"\n' + ROLE + "argv = ['bin/server', '{endpoint}']\n",
        "roles.filer-rep.argv[0]: 'bin/server' is relative to the process's working directory",
        "write '{here}/bin/server'",
        id="argv0-relative",
    ),
    pytest.param(
        'name = "x"\nexpected_failures = {"REQREP-77" = "why"}\n' + ROLE + ARGV,
        "expected_failures.REQREP-77: 'REQREP-77' is not a requirement id",
        "Did you mean 'REQREP-7'? The ids are LIFE-1, LIFE-2",
        id="expected-unknown-id",
    ),
    pytest.param(
        'name = "x"\nexpected_failures = {"REQREP-7" = ""}\n' + ROLE + ARGV,
        "expected_failures.REQREP-7: is an empty string",
        "must say why the failure is expected",
        id="expected-empty-reason",
    ),
    pytest.param(
        'name = "x"\nexpected_failures = ["REQREP-7"]\n' + ROLE + ARGV,
        "expected_failures: is an array",
        "must be a table of id = reason",
        id="expected-array",
    ),
    pytest.param(
        'name = "x"\ndescription = 1\n' + ROLE + ARGV,
        "description: is an integer",
        "must be a string",
        id="description-int",
    ),
]


@pytest.mark.parametrize(("text", "where", "hint"), INVALID)
def test_invalid_manifest_names_key_and_fix(
    tmp_path: Path, text: str, where: str, hint: str
) -> None:
    message = problem(tmp_path, text)
    assert f": {where}" in message, message
    assert hint in message, message


def test_invalid_manifest_matches_with_pytest_raises(tmp_path: Path) -> None:
    """The form the brief asks for: pytest.raises(match=...) with key path and hint."""
    path = write(tmp_path, 'name = "x"\n' + ROLE + "argv = ['p', '{endpiont}']\n")
    expected = re.escape("roles.filer-rep.argv[1]: '{endpiont}' is not a placeholder") + ".*"
    with pytest.raises(ManifestError, match=expected + re.escape("Did you mean 'endpoint'?")):
        load_manifest(path)


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        nmae = "x"
        [roles.filer-rep]
        argv = ["p", "{endpoint}"]
        ready = "("
        [roles.brokr]
        argv = ["b"]
        """,
    )
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    error = info.value
    assert [p.key for p in error.problems] == [
        "nmae",
        "name",
        "roles.brokr",
        "roles.filer-rep.ready",
    ]
    lines = str(error).splitlines()
    assert len(lines) == 4
    assert all(line.startswith(f"{path.resolve()}: ") for line in lines)
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error)


def test_file_missing(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match=r"nope\.toml: no such file: pass the path"):
        load_manifest(tmp_path / "nope.toml")


def test_file_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match=r"is a directory: pass the manifest \.toml file"):
        load_manifest(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_file_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "x"\n')
    path.chmod(0)
    with pytest.raises(ManifestError, match="cannot be read: Permission denied"):
        load_manifest(path)


def test_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "impl.toml"
    path.write_bytes(b'name = "\xff"\n')
    with pytest.raises(ManifestError, match=r"is not UTF-8 \(byte 8\)"):
        load_manifest(path)


def test_file_not_toml_gives_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "x"\n[roles.filer-rep]\nargv = ["a" "b"]\n')
    with pytest.raises(ManifestError, match=r"impl\.toml: is not valid TOML: .*line 3, column 13"):
        load_manifest(path)


# --- expand --------------------------------------------------------------------------------


def test_expand_replaces_placeholders_anywhere() -> None:
    values = {"endpoint": "tcp://127.0.0.1:1", "root": "/r"}
    assert expand("--bind={endpoint}", values) == "--bind=tcp://127.0.0.1:1"
    assert expand("{root}{root}/x", values) == "/r/r/x"
    assert expand("plain", {}) == "plain"
    assert expand("", {}) == ""


def test_expand_doubled_braces_are_literal() -> None:
    values = {"a": "A"}
    assert expand("{{a}}", values) == "{a}"
    assert expand("{{{a}}}", values) == "{A}"
    assert expand("}}{{", values) == "}{"
    assert expand('{{"path": "{a}"}}', values) == '{"path": "A"}'
    assert placeholders("{{a}} {b}") == {"b"}


def test_expand_missing_value_names_the_placeholder() -> None:
    with pytest.raises(MissingValue, match=re.escape("no value for {root}")) as info:
        expand("--root={root}", {"endpoint": "e"})
    assert info.value.placeholder == "root"
    assert info.value.given == ("endpoint",)
    assert pickle.loads(pickle.dumps(info.value)).placeholder == "root"


@pytest.mark.parametrize("template", ["{a", "a}", "{a{b}}", "x{"])
def test_expand_unbalanced_braces(template: str) -> None:
    with pytest.raises(ValueError, match=r"never closed|closes nothing"):
        expand(template, {"a": "A", "b": "B"})


@given(st.text())
def test_expand_of_escaped_text_is_the_text(text: str) -> None:
    escaped = text.replace("{", "{{").replace("}", "}}")
    assert placeholders(escaped) == frozenset()
    assert expand(escaped, {}) == text


@given(st.lists(st.tuples(st.text(), st.sampled_from(PLACEHOLDERS))), st.text())
def test_expand_concatenates_literals_and_values(pieces: list[tuple[str, str]], tail: str) -> None:
    def escape(text: str) -> str:
        return text.replace("{", "{{").replace("}", "}}")

    values = {name: f"<{name}>" for name in PLACEHOLDERS}
    template = "".join(escape(text) + "{" + name + "}" for text, name in pieces) + escape(tail)
    expected = "".join(text + values[name] for text, name in pieces) + tail
    assert expand(template, values) == expected


def test_invocation_missing_value_names_role_and_key() -> None:
    role = RoleSpec(role="filer-rep", argv=("p", "--bind", "{endpoint}"))
    with pytest.raises(MissingValue) as info:
        role.invocation({"tmp": "/t"})
    error = info.value
    assert (error.placeholder, error.role, error.key) == (
        "endpoint",
        "filer-rep",
        "roles.filer-rep.argv[2]",
    )
    assert "of role filer-rep" in str(error)
    assert not isinstance(error, KeyError)


def test_key_path_quotes_what_toml_would() -> None:
    assert key_path("roles", "filer-rep", "argv", 3) == "roles.filer-rep.argv[3]"
    assert key_path("roles", "x", "env", "A B") == 'roles.x.env."A B"'
    assert key_path("setup", 0, 1) == "setup[0][1]"


def test_expected_failures_may_name_one_role(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'name = "x"\nexpected_failures = {"REQREP-1:filer-rep-cluster" = "workers reply data"}\n'
        + GOOD_ROLE,
    )
    assert dict(load_manifest(path).expected_failures) == {
        "REQREP-1:filer-rep-cluster": "workers reply data"
    }
    bad = write(tmp_path, 'name = "x"\nexpected_failures = {"REQREP-1:broker" = "r"}\n' + GOOD_ROLE)
    with pytest.raises(ManifestError, match="does not apply to the role 'broker'"):
        load_manifest(bad)
