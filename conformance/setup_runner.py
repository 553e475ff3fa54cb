"""Run a manifest's ``setup`` commands (its build) before any case, and know when not to.

A stale build is a false verdict: the suite would judge the binary of an earlier source.
So setup runs again whenever what it reads may have changed (``--setup``, :class:`SetupMode`):

- ``auto`` (the default): a manifest that lists ``setup_inputs`` (globs, from ``{here}``)
  has its setup skipped when the last successful setup on this machine saw the same
  manifest, commands, folder and user *and* the same input files (names and contents,
  hashed before the commands ran); anything else runs it again. A manifest without
  ``setup_inputs`` runs its setup at every run, since nothing says what it reads.
- ``always``: run it, whatever the stamp says.
- ``never``: do not run it (the user builds by hand).

Runs are serialised by an flock in a folder named after :func:`setup_key`, under
``$CONFORMANCE_TMPDIR`` or the system temp dir, where the stamp of the last success is
kept; a failure leaves no stamp. Each command runs from ``{here}``, without a shell, with
stdin ``/dev/null``, in a process group of its own that is killed when it ends.
"""

from __future__ import annotations

import contextlib
import enum
import fcntl
import glob
import hashlib
import json
import os
import shlex
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from conformance.deadlines import SETUP_TIMEOUT
from conformance.endpoints import TMPDIR_VARIABLE
from conformance.errors import UsageError

if TYPE_CHECKING:
    from conformance.manifest import Manifest

_TAIL_LINES: Final = 40
_TAIL_CHARS: Final = 4000


class SetupMode(enum.StrEnum):
    """When to run setup: see the module's docstring."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


class SetupOutcome(enum.Enum):
    """What :func:`run_setup` did."""

    NO_COMMANDS = "the manifest has no setup"
    SKIPPED = "not run (--setup never)"
    UP_TO_DATE = "not run: its inputs are unchanged since it last succeeded"
    RAN = "ran"


class SetupError(UsageError):
    """A manifest's setup could not run or failed; the message ends with its output."""


# --- what setup reads -----------------------------------------------------------------------


def input_files(here: Path, patterns: Sequence[str]) -> list[Path]:
    """The files PATTERNS name, sorted: globs from HERE (``**`` recurses); a folder means
    every file under it. A pattern that matches nothing is an error: a typo there would
    let a stale build through.
    """
    found: set[Path] = set()
    for pattern in patterns:
        matches = glob.glob(pattern, root_dir=here, recursive=True)
        if not matches:
            raise SetupError(
                f"setup_inputs: {pattern!r} matches no file in {here}; "
                "fix the pattern (globs are taken from the manifest's folder)"
            )
        for match in matches:
            path = here / match
            if path.is_dir():
                found.update(p for p in path.rglob("*") if p.is_file())
            elif path.is_file():
                found.add(path)
    return sorted(found)


def inputs_digest(here: Path, patterns: Sequence[str]) -> str:
    """A hash of the names and contents of the files PATTERNS name (see :func:`input_files`)."""
    digest = hashlib.sha256()
    for path in input_files(here, patterns):
        digest.update(os.fsencode(os.path.relpath(path, here)) + b"\0")
        with path.open("rb") as file:
            digest.update(hashlib.file_digest(file, "sha256").digest())
    return digest.hexdigest()


def setup_key(manifest: Manifest) -> str:
    """What identifies one setup: the manifest's bytes, its folder, the commands, the user."""
    identity = [manifest.sha256, str(manifest.here), manifest.setup_commands(), os.getuid()]
    return hashlib.sha256(json.dumps(identity).encode()).hexdigest()


def state_parent() -> Path:
    """Where setup folders go: ``$CONFORMANCE_TMPDIR``, else the system temp dir."""
    return Path(os.environ.get(TMPDIR_VARIABLE) or tempfile.gettempdir())


# --- running it -----------------------------------------------------------------------------


def run_setup(
    manifest: Manifest,
    *,
    mode: SetupMode | str = SetupMode.AUTO,
    timeout: float = SETUP_TIMEOUT,
    state_dir: str | os.PathLike[str] | None = None,
) -> SetupOutcome:
    """Run MANIFEST's setup commands from ``{here}`` as MODE says, serialised across processes.

    TIMEOUT covers all commands. Raises SetupError, with the tail of the output, when a
    command fails, times out or cannot start, or when a ``setup_inputs`` pattern matches
    nothing.
    """
    mode = SetupMode(mode)
    commands = manifest.setup_commands()
    if not commands:
        return SetupOutcome.NO_COMMANDS
    if mode is SetupMode.NEVER:
        return SetupOutcome.SKIPPED
    patterns = manifest.setup_input_patterns()
    folder = (Path(state_dir) if state_dir is not None else state_parent()) / (
        f"zmq-conformance-setup-{setup_key(manifest)[:32]}"
    )
    stamp = folder / "stamp.json"
    deadline = time.monotonic() + timeout
    with _locked(folder):
        digest = inputs_digest(manifest.here, patterns) if patterns else None
        if mode is SetupMode.AUTO and digest is not None and _stamped(stamp) == digest:
            return SetupOutcome.UP_TO_DATE
        stamp.unlink(missing_ok=True)  # a build that fails half-way is not up to date
        for command in commands:
            _run_command(manifest, command, deadline)
        record = {"manifest": str(manifest.path), "commands": commands, "inputs": digest}
        partial = folder / f"stamp.{os.getpid()}"
        partial.write_text(json.dumps(record, indent=1) + "\n")
        os.replace(partial, stamp)
    return SetupOutcome.RAN


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold FOLDER's lock file (made if need be) for the block: one setup at a time."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        yield


def _stamped(stamp: Path) -> str | None:
    """The inputs digest the last successful setup recorded, if any."""
    try:
        inputs = json.loads(stamp.read_text()).get("inputs")
    except (OSError, ValueError, AttributeError):
        return None
    return inputs if isinstance(inputs, str) else None


def _tail(output: bytes) -> str:
    text = output.decode("utf-8", errors="replace").rstrip()
    lines = text.splitlines()[-_TAIL_LINES:]
    tail = "\n".join(lines)[-_TAIL_CHARS:]
    return tail or "(no output)"


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _finish(process: subprocess.Popen[bytes]) -> bytes:
    """After killing its group, collect what the process wrote without waiting forever."""
    try:
        output, _ = process.communicate(timeout=5)
    except subprocess.TimeoutExpired:  # a grandchild escaped the group and holds the pipe
        if process.stdout is not None:
            process.stdout.close()
        process.wait()
        return b""
    return output


def _run_command(manifest: Manifest, command: tuple[str, ...], deadline: float) -> None:
    shown = shlex.join(command)
    where = f"{manifest.path}: setup command `{shown}` (run from {manifest.here})"
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise SetupError(f"{where} did not start: the setup timeout was used up by earlier ones")
    try:
        process = subprocess.Popen(
            command,
            cwd=manifest.here,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as error:
        raise SetupError(f"{where} could not start: {error.strerror or error}") from None
    try:
        output, _ = process.communicate(timeout=remaining)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        output = _finish(process)
        raise SetupError(
            f"{where} timed out after {remaining:.0f} s and was killed. Output:\n{_tail(output)}"
        ) from None
    except BaseException:
        _kill_group(process)
        _finish(process)
        raise
    finally:
        _kill_group(process)  # nothing it started may outlive it
    if process.returncode != 0:
        status = (
            f"was killed by {signal.Signals(-process.returncode).name}"
            if process.returncode < 0
            else f"failed with exit status {process.returncode}"
        )
        raise SetupError(f"{where} {status}. Output:\n{_tail(output)}")
