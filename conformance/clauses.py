"""The clause registry: every normative sentence of SPEC.md, split into what one bug can break.

Pure data, the one source for the coverage table of ``tox -e mutants`` (clause,
level, the property that exercises it, the mutants that break it, caught or not).
A clause is a MUST, MUST NOT, SHOULD or SHOULD NOT sentence of SPEC.md, or the
part of one that a single bug can break alone; the statements of §3's tables
("``type`` is the string ``"changed"``") count as MUST clauses, since the
requirements of §4 oblige implementations to them.

IDs, stable (a clause that goes away leaves its ID unused; a new one takes the
next letter):

- ``<requirement>.<letter>``: a part of a numbered requirement of §4, in the order of
  its sentence (``REQREP-1.c``: "with ``<text>`` the file's exact text");
- ``FMT-3.<n>.<letter>``: a sentence of §3.<n> (formats);
- ``LIFECYCLE-5.<letter>``: a sentence of §5 (lifecycle).

Not clauses: the rules for manifests (docs/manifest.md: checked when a manifest is
loaded, before any case), the exit statuses (docs/verdicts.md: the harness's own), the
interop grid (docs/verdicts.md: reported, never a verdict). What SPEC.md leaves
unspecified on purpose, where the seed suggests otherwise, is listed in
:data:`NOT_SPECIFIED`.
"""

from __future__ import annotations

import importlib
import pkgutil

from conformance import checks, spec
from conformance.normative import MUST, SHOULD, Clause, NotSpecified

__all__ = ["BY_ID", "CLAUSES", "MUST", "NOT_SPECIFIED", "SHOULD", "Clause", "NotSpecified"]


ROOT_READS_EVERYTHING = (
    "not exercised where the harness runs as root and cannot deny opens (no CAP_SYS_ADMIN, or "
    "a kernel without fanotify permission events): root reads a file of mode 000 (REQREP-3)"
)
"""Where FMT-3.5.h goes unexercised: elsewhere REQREP-3 sends ``unreadable`` (as root, with
the file's opens denied: conformance.open_denial), and its mutant shows it."""

OWN: tuple[Clause, ...] = (
    # --- §3.1 Encoding -----------------------------------------------------------------------
    Clause(
        id="FMT-3.1.a",
        level=MUST,
        section="3.1",
        text="Every message of §3.2-§3.5 is one frame holding one JSON object in UTF-8.",
        exercised_by=("PUBSUB-1", "REQREP-1", "REQREP-3"),
    ),
    Clause(
        id="FMT-3.1.b",
        level=SHOULD,
        section="3.1",
        text="Senders SHOULD encode compactly (no whitespace between tokens).",
        unexercised="not checked: the harness compares parsed values, and any valid JSON "
        "encoding is accepted (FMT-3.1.d)",
    ),
    Clause(
        id="FMT-3.1.c",
        level=MUST,
        section="3.1",
        text="A reply MUST NOT contain a raw LF or CR byte.",
        exercised_by=("REQREP-1",),
    ),
    Clause(
        id="FMT-3.1.d",
        level=MUST,
        section="3.1",
        text="Receivers MUST accept any valid JSON encoding (whitespace, key order, escapes).",
        exercised_by=("REQREP-1", "PUBSUB-3", "REQREP-5"),
    ),
    Clause(
        id="FMT-3.1.e",
        level=MUST,
        section="3.1",
        text="Receivers MUST ignore keys they do not know, whatever such a key holds.",
        exercised_by=("REQREP-1", "PUBSUB-3", "REQREP-5"),
    ),
    Clause(
        id="FMT-3.1.f",
        level=MUST,
        section="3.1",
        text="A receiver MUST NOT fail on an unknown key's value that its parser cannot "
        "represent (1e400, an integer beyond 64 bits).",
        exercised_by=("REQREP-1", "REQREP-5"),
    ),
    Clause(
        id="FMT-3.1.g",
        level=MUST,
        section="3.1",
        text="`timestamp` is a JSON integer: milliseconds since the Unix epoch.",
        exercised_by=("PUBSUB-1", "REQREP-1"),
    ),
    Clause(
        id="FMT-3.1.h",
        level=MUST,
        section="3.1",
        text="`pid` is a JSON integer: the process id of the process that produced the message.",
        exercised_by=("REQREP-1", "REQREP-3"),
    ),
    Clause(
        id="FMT-3.1.i",
        level=MUST,
        section="3.1",
        text="Text that cannot be UTF-8 (a lone surrogate) MUST be sent as a \\u escape.",
        exercised_by=("REQREP-3",),
    ),
    Clause(
        id="FMT-3.1.j",
        level=MUST,
        section="3.1",
        text="Encoding MUST NOT fail.",
        exercised_by=("REQREP-3",),
    ),
    Clause(
        id="FMT-3.1.k",
        level=MUST,
        section="3.1",
        text="A request nested deeper than the responder's parser allows MUST get exactly one "
        "reply: `bad_request`, or the content it asks for.",
        exercised_by=("REQREP-3",),
    ),
    # --- §3.2 Change message -----------------------------------------------------------------
    Clause(
        id="FMT-3.2.a",
        level=MUST,
        section="3.2",
        text='`type` is the string "changed".',
        exercised_by=("PUBSUB-1",),
    ),
    Clause(
        id="FMT-3.2.b",
        level=MUST,
        section="3.2",
        text="`file` is FILE exactly as given on the publisher's command line (not resolved, "
        "not normalised).",
        exercised_by=("PUBSUB-1",),
    ),
    Clause(
        id="FMT-3.2.c",
        level=MUST,
        section="3.2",
        text="`timestamp`: when the message was sent, ms since the epoch.",
        exercised_by=("PUBSUB-1",),
    ),
    # --- §3.3 File request -------------------------------------------------------------------
    Clause(
        id="FMT-3.3.a",
        level=MUST,
        section="3.3",
        text="`path` names a file relative to the responder's root (--root).",
        exercised_by=("REQREP-1",),
    ),
    Clause(
        id="FMT-3.3.b",
        level=MUST,
        section="3.3",
        text="`path` is resolved by §3.3's rule: a physical walk that follows symlinks (a loop "
        "is not_found), keeps a missing component as a plain name and lets the end point "
        "decide.",
        exercised_by=("REQREP-1", "REQREP-3"),
    ),
    Clause(
        id="FMT-3.3.c",
        level=MUST,
        section="3.3",
        text="The file is served only if the resolved path lies under the root.",
        exercised_by=("REQREP-3",),
    ),
    # --- §3.4 Reply --------------------------------------------------------------------------
    Clause(
        id="FMT-3.4.a",
        level=MUST,
        section="3.4",
        text="`content`: the file's bytes decoded as UTF-8, unchanged (BOM, CR LF, U+0000 kept).",
        exercised_by=("REQREP-1",),
    ),
    Clause(
        id="FMT-3.4.b",
        level=MUST,
        section="3.4",
        text="`timestamp`: when the reply was made, ms since the epoch.",
        exercised_by=("REQREP-1",),
    ),
    Clause(
        id="FMT-3.4.c",
        level=MUST,
        section="3.4",
        text="`pid`: the process that read the file (a cluster worker, not the master).",
        exercised_by=("REQREP-1",),
    ),
    # --- §3.5 Error reply --------------------------------------------------------------------
    Clause(
        id="FMT-3.5.a",
        level=MUST,
        section="3.5",
        text="The first code in table order that applies wins (outside the root is forbidden "
        "whether or not it exists).",
        exercised_by=("REQREP-3",),
    ),
    Clause(
        id="FMT-3.5.b",
        level=MUST,
        section="3.5",
        text="bad_request: not one frame, not UTF-8 JSON, not an object, path missing or not "
        "a string, empty or with U+0000.",
        exercised_by=("REQREP-3",),
    ),
    Clause(
        id="FMT-3.5.c",
        level=MUST,
        section="3.5",
        text="forbidden: path is absolute (even naming a file under the root), or resolves "
        "outside the root.",
        exercised_by=("REQREP-3",),
    ),
    Clause(
        id="FMT-3.5.d",
        level=MUST,
        section="3.5",
        text="not_found: nothing exists at the resolved path (ENOENT, ENOTDIR, a symlink loop, "
        "a dangling symlink).",
        exercised_by=("REQREP-3",),
    ),
    Clause(
        id="FMT-3.5.e",
        level=MUST,
        section="3.5",
        text="not_a_file: the resolved path is a directory or another non-regular file.",
        exercised_by=("REQREP-3",),
    ),
    Clause(
        id="FMT-3.5.f",
        level=MUST,
        section="3.5",
        text="A directory or non-regular file MUST NOT be opened (opening a FIFO blocks).",
        exercised_by=("REQREP-3",),
    ),
    Clause(
        id="FMT-3.5.g",
        level=MUST,
        section="3.5",
        text="too_large: the file is larger than 16 MiB; a file of exactly the limit is served.",
        exercised_by=("REQREP-1", "REQREP-3"),
    ),
    Clause(
        id="FMT-3.5.h",
        level=MUST,
        section="3.5",
        text="unreadable: the file exists but cannot be examined or read (EACCES, EIO).",
        exercised_by=("REQREP-3",),
        unexercised=ROOT_READS_EVERYTHING,
    ),
    Clause(
        id="FMT-3.5.i",
        level=MUST,
        section="3.5",
        text="not_utf8: the file's bytes are not strict UTF-8.",
        exercised_by=("REQREP-3",),
    ),
    Clause(
        id="FMT-3.5.j",
        level=MUST,
        section="3.5",
        text="A path holding a lone surrogate MUST get an error reply too (any code).",
        exercised_by=("REQREP-3",),
    ),
    # --- §3.6 Transcript lines ---------------------------------------------------------------
    Clause(
        id="FMT-3.6.a",
        level=MUST,
        section="3.6",
        text="Every line MUST be flushed when printed.",
        exercised_by=("PUBSUB-3", "REQREP-6", "CLUSTER-1"),
    ),
    Clause(
        id="FMT-3.6.b",
        level=MUST,
        section="3.6",
        text="Client roles MUST print nothing on stdout but their transcript lines.",
        exercised_by=("PUBSUB-3", "PUBSUB-4", "REQREP-5", "REQREP-7"),
    ),
    Clause(
        id="FMT-3.6.c",
        level=MUST,
        section="3.6",
        text="watcher-sub: `File '<file>' changed at <date>` per message, <file> the message's "
        "`file` (any date text).",
        exercised_by=("PUBSUB-3",),
    ),
    Clause(
        id="FMT-3.6.d",
        level=MUST,
        section="3.6",
        text="filer-req: `Sending request for <file>` before the request is sent, <file> FILE "
        "as given.",
        exercised_by=("REQREP-5",),
    ),
    Clause(
        id="FMT-3.6.e",
        level=MUST,
        section="3.6",
        text="filer-req-loop: `Sending request <i> for <file>` before request <i>, i = 1..COUNT.",
        exercised_by=("REQREP-7",),
    ),
    Clause(
        id="FMT-3.6.f",
        level=MUST,
        section="3.6",
        text="`Received response: <reply>`: the reply frame exactly as received.",
        exercised_by=("REQREP-5", "REQREP-7"),
    ),
    Clause(
        id="FMT-3.6.g",
        level=MUST,
        section="3.6",
        text="`Worker <pid> is online.` per worker started, initial or replacement.",
        exercised_by=("CLUSTER-1", "CLUSTER-3"),
    ),
    Clause(
        id="FMT-3.6.h",
        level=MUST,
        section="3.6",
        text="`Worker <pid> exited with code <code>` per worker ended, minus the signal number "
        "if a signal ended it.",
        exercised_by=("CLUSTER-3",),
    ),
    Clause(
        id="FMT-3.6.i",
        level=MUST,
        section="3.6",
        text="The cluster prints its ready line after all initial workers are online.",
        exercised_by=("CLUSTER-1",),
    ),
    # --- §5 Lifecycle ------------------------------------------------------------------------
    Clause(
        id="LIFECYCLE-5.a",
        level=MUST,
        section="5",
        text="On SIGTERM or SIGINT a server MUST close its sockets, remove the ipc socket files "
        "of the endpoints it bound and exit 0.",
        exercised_by=("LIFE-2",),
    ),
    Clause(
        id="LIFECYCLE-5.b",
        level=SHOULD,
        section="5",
        text="A second signal during cleanup SHOULD NOT cut it short.",
        unexercised="not checked: the harness sends one signal",
    ),
    Clause(
        id="LIFECYCLE-5.c",
        level=SHOULD,
        section="5",
        text="watcher-sub runs until signalled and SHOULD then exit 0.",
        unexercised="not checked: client roles' exit on signals is not judged",
    ),
    Clause(
        id="LIFECYCLE-5.d",
        level=MUST,
        section="5",
        text="The cluster master on SIGTERM or SIGINT MUST end all its workers,",
        exercised_by=("CLUSTER-4",),
    ),
    Clause(
        id="LIFECYCLE-5.e",
        level=MUST,
        section="5",
        text="reap them,",
        exercised_by=("CLUSTER-4",),
        unexercised="not where the harness cannot be a child subreaper (containment by "
        "process groups only): the workers a master leaves unreaped pass to another reaper",
    ),
    Clause(
        id="LIFECYCLE-5.f",
        level=MUST,
        section="5",
        text="remove its backend ipc file and exit 0.",
        exercised_by=("LIFE-2",),
    ),
    Clause(
        id="LIFECYCLE-5.g",
        level=SHOULD,
        section="5",
        text="Killed with SIGKILL, the master's workers SHOULD notice and exit within 5 s.",
        exercised_by=("CLUSTER-5",),
    ),
    Clause(
        id="LIFECYCLE-5.h",
        level=MUST,
        section="5",
        text="The master MUST replace a worker that dies",
        exercised_by=("CLUSTER-3",),
    ),
    Clause(
        id="LIFECYCLE-5.i",
        level=MUST,
        section="5",
        text="with a backoff, so that a worker that cannot start does not spin.",
        exercised_by=("CLUSTER-3",),
    ),
    Clause(
        id="LIFECYCLE-5.j",
        level=MUST,
        section="5",
        text="Every process of an implementation MUST stay in the process group the harness "
        "started it in.",
        exercised_by=("CLUSTER-1",),
        unexercised="a process that leaves its group and has ended by the end of the case is "
        "not seen, except the cluster's initial workers (CLUSTER-1); one still running then "
        "fails any requirement (docs/harness.md)",
    ),
    Clause(
        id="LIFECYCLE-5.k",
        level=SHOULD,
        section="5",
        text="`argv` SHOULD start the program itself, not a wrapper.",
        unexercised="advice for manifests: a wrapper fails the requirements that signal the "
        "started process or compare its pid",
    ),
)
"""The clauses of §3 and §5, which belong to no requirement; a requirement's own are declared
with it (``CLAUSES`` of its checker module)."""


def _of_requirements() -> list[Clause]:
    """The CLAUSES of every checker module, in the order of their requirements."""
    found: list[Clause] = []
    for info in pkgutil.iter_modules(checks.__path__):
        module = importlib.import_module(f"{checks.__name__}.{info.name}")
        found.extend(getattr(module, "CLAUSES", ()))
    order = {requirement.id: index for index, requirement in enumerate(spec.REQUIREMENTS)}
    return sorted(found, key=lambda clause: order[clause.section])


CLAUSES: tuple[Clause, ...] = (
    *(clause for clause in OWN if clause.section.startswith("3.")),
    *_of_requirements(),
    *(clause for clause in OWN if not clause.section.startswith("3.")),
)
"""Every clause, in SPEC.md order (§3, §4 by requirement, §5)."""

NOT_SPECIFIED: tuple[NotSpecified, ...] = (
    NotSpecified(
        id="REQREP-7:responder-restart",
        section="REQREP-7",
        text="A loop requester across a responder restart between two of its requests "
        "(the seed: endpoints reconnect when a process restarts).",
        reason="the loop sends request i + 1 the moment reply i arrives, so a responder that "
        "goes away after a reply may take that request down with its connection; RFC 28's "
        "REQ never resends and cannot send again before a reply, so it waits for ever however "
        "right its code is; only a Lazy Pirate client (CLUSTER-3) survives",
    ),
)

BY_ID: dict[str, Clause] = {clause.id: clause for clause in CLAUSES}


def clauses_of(section: str) -> list[Clause]:
    """The clauses of one requirement or section of §3/§5, in order."""
    return [clause for clause in CLAUSES if clause.section == section]
