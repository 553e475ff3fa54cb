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

from dataclasses import dataclass

from conformance.spec import Level

MUST = Level.MUST
SHOULD = Level.SHOULD


@dataclass(frozen=True, kw_only=True)
class Clause:
    """One normative sentence (or part) of SPEC.md."""

    id: str
    level: Level
    """MUST (MUST NOT included) or SHOULD (SHOULD NOT included)."""
    section: str
    """Where it is: a requirement ID (§4), ``3.1`` .. ``3.6``, or ``5``."""
    text: str
    """The sentence, short."""
    exercised_by: tuple[str, ...] = ()
    """The requirements whose properties exercise it: an implementation that breaks only
    this clause fails one of them."""
    unexercised: str = ""
    """Why no property (or no mutant) can exercise it, or where it cannot; empty when one
    does everywhere."""


@dataclass(frozen=True, kw_only=True)
class NotSpecified:
    """A behaviour SPEC.md states as not specified, with the reason (in its section)."""

    id: str
    section: str
    text: str
    reason: str


ROOT_READS_EVERYTHING = (
    "never sent when the harness runs as root, which reads a file of mode 000 (REQREP-3); "
    "a run as another user sends it"
)

CLAUSES: tuple[Clause, ...] = (
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
    # --- §4 LIFE -----------------------------------------------------------------------------
    Clause(
        id="LIFE-1.a",
        level=MUST,
        section="LIFE-1",
        text="A server MUST print its ready line only after every endpoint it binds is bound,",
        exercised_by=("LIFE-1",),
    ),
    Clause(
        id="LIFE-1.b",
        level=MUST,
        section="LIFE-1",
        text="and MUST serve from then on.",
        exercised_by=("LIFE-1",),
    ),
    Clause(
        id="LIFE-1.c",
        level=SHOULD,
        section="LIFE-1",
        text="The publisher's watch SHOULD be armed before the ready line.",
        unexercised="not observable: a change lost to a late watch cannot be told from one "
        "lost to the slow joiner (LIFE-1, not checked)",
    ),
    Clause(
        id="LIFE-2.a",
        level=MUST,
        section="LIFE-2",
        text="On SIGTERM or SIGINT a server MUST exit with status 0 within 5 s,",
        exercised_by=("LIFE-2",),
    ),
    Clause(
        id="LIFE-2.b",
        level=MUST,
        section="LIFE-2",
        text="leaving no socket file behind for any ipc endpoint it bound.",
        exercised_by=("LIFE-2",),
    ),
    # --- §4 PUBSUB ---------------------------------------------------------------------------
    Clause(
        id="PUBSUB-1.a",
        level=MUST,
        section="PUBSUB-1",
        text="For each change of FILE the publisher MUST send a message of exactly one frame",
        exercised_by=("PUBSUB-1",),
    ),
    Clause(
        id="PUBSUB-1.b",
        level=MUST,
        section="PUBSUB-1",
        text='holding the JSON object {"type":"changed","file":FILE,"timestamp":<ms>},',
        exercised_by=("PUBSUB-1",),
    ),
    Clause(
        id="PUBSUB-1.c",
        level=MUST,
        section="PUBSUB-1",
        text="FILE being its command-line argument unchanged.",
        exercised_by=("PUBSUB-1",),
    ),
    Clause(
        id="PUBSUB-2.a",
        level=MUST,
        section="PUBSUB-2",
        text="Every change of FILE written in place MUST produce at least one change message",
        exercised_by=("PUBSUB-2",),
    ),
    Clause(
        id="PUBSUB-2.b",
        level=MUST,
        section="PUBSUB-2",
        text="and so MUST every change made by renaming another file over it,",
        exercised_by=("PUBSUB-2",),
    ),
    Clause(
        id="PUBSUB-2.c",
        level=MUST,
        section="PUBSUB-2",
        text="a message that reaches every connected subscriber.",
        exercised_by=("PUBSUB-2",),
    ),
    Clause(
        id="PUBSUB-2.d",
        level=SHOULD,
        section="PUBSUB-2",
        text="Changes to other files in the directory SHOULD NOT be reported.",
        unexercised="not checked: the temp file of a rename-over lives in the directory, and "
        "extra messages are tolerated (PUBSUB-2)",
    ),
    Clause(
        id="PUBSUB-3.a",
        level=MUST,
        section="PUBSUB-3",
        text="The subscriber MUST subscribe to every message",
        exercised_by=("PUBSUB-3",),
    ),
    Clause(
        id="PUBSUB-3.b",
        level=MUST,
        section="PUBSUB-3",
        text="and print, for each change message it receives, one line "
        "`File '<file>' changed at <date>`,",
        exercised_by=("PUBSUB-3",),
    ),
    Clause(
        id="PUBSUB-3.c",
        level=MUST,
        section="PUBSUB-3",
        text="in the order received,",
        exercised_by=("PUBSUB-3",),
    ),
    Clause(
        id="PUBSUB-3.d",
        level=MUST,
        section="PUBSUB-3",
        text="with <file> the message's `file` string exactly.",
        exercised_by=("PUBSUB-3",),
    ),
    Clause(
        id="PUBSUB-4.a",
        level=MUST,
        section="PUBSUB-4",
        text="The subscriber MUST keep running while its publisher is gone",
        exercised_by=("PUBSUB-4",),
    ),
    Clause(
        id="PUBSUB-4.b",
        level=MUST,
        section="PUBSUB-4",
        text="and MUST print the messages of the restarted publisher once it has reconnected.",
        exercised_by=("PUBSUB-4",),
    ),
    Clause(
        id="PUBSUB-5.a",
        level=SHOULD,
        section="PUBSUB-5",
        text="The subscriber SHOULD skip a message it cannot read and keep running,",
        exercised_by=("PUBSUB-5",),
    ),
    Clause(
        id="PUBSUB-5.b",
        level=SHOULD,
        section="PUBSUB-5",
        text="and print the line for the next good message.",
        exercised_by=("PUBSUB-5",),
    ),
    Clause(
        id="PUBSUB-5.c",
        level=SHOULD,
        section="PUBSUB-5",
        text="It SHOULD report a bad message as one line on stderr.",
        unexercised="not checked: stderr is never parsed (§3.6)",
    ),
    # --- §4 REQREP ---------------------------------------------------------------------------
    Clause(
        id="REQREP-1.a",
        level=MUST,
        section="REQREP-1",
        text='A request {"path":P} naming a UTF-8 file under the root MUST get exactly one reply,',
        exercised_by=("REQREP-1",),
    ),
    Clause(
        id="REQREP-1.b",
        level=MUST,
        section="REQREP-1",
        text="one frame",
        exercised_by=("REQREP-1",),
    ),
    Clause(
        id="REQREP-1.c",
        level=MUST,
        section="REQREP-1",
        text='holding {"content":<text>,...} with <text> the file\'s exact text,',
        exercised_by=("REQREP-1",),
    ),
    Clause(
        id="REQREP-1.d",
        level=MUST,
        section="REQREP-1",
        text='"timestamp":<ms>',
        exercised_by=("REQREP-1",),
    ),
    Clause(
        id="REQREP-1.e",
        level=MUST,
        section="REQREP-1",
        text='and "pid":<pid>.',
        exercised_by=("REQREP-1",),
    ),
    Clause(
        id="REQREP-2.a",
        level=MUST,
        section="REQREP-2",
        text="Each reply MUST carry the file's content as it is when the request arrives, not "
        "an earlier one.",
        exercised_by=("REQREP-2",),
    ),
    Clause(
        id="REQREP-3.a",
        level=MUST,
        section="REQREP-3",
        text="Every bad request MUST get exactly one error reply "
        '{"error":{"code":C,"message":M},"timestamp":<ms>,"pid":<pid>} with the code §3.5 '
        "assigns to it,",
        exercised_by=("REQREP-3",),
    ),
    Clause(
        id="REQREP-3.b",
        level=MUST,
        section="REQREP-3",
        text="and the responder MUST answer the next good request.",
        exercised_by=("REQREP-3",),
    ),
    Clause(
        id="REQREP-4.a",
        level=MUST,
        section="REQREP-4",
        text="When several requesters send at once, each request MUST get exactly one reply,",
        exercised_by=("REQREP-4", "REQREP-1"),
        unexercised="a duplicate reply is not observable on a REQ whose client always asks "
        "for the same file (REQREP-4, not checked); REQREP-1 sees the duplicate of a large "
        "reply",
    ),
    Clause(
        id="REQREP-4.b",
        level=MUST,
        section="REQREP-4",
        text="the reply to that request, delivered to the requester that sent it.",
        exercised_by=("REQREP-4",),
    ),
    Clause(
        id="REQREP-5.a",
        level=MUST,
        section="REQREP-5",
        text='The requester MUST send one request {"path":FILE} with FILE its argument unchanged,',
        exercised_by=("REQREP-5",),
    ),
    Clause(
        id="REQREP-5.b",
        level=MUST,
        section="REQREP-5",
        text="print `Sending request for FILE` and then `Received response: <reply>`",
        exercised_by=("REQREP-5",),
    ),
    Clause(
        id="REQREP-5.c",
        level=MUST,
        section="REQREP-5",
        text="with the reply exactly as received,",
        exercised_by=("REQREP-5",),
    ),
    Clause(
        id="REQREP-5.d",
        level=MUST,
        section="REQREP-5",
        text="and exit 0.",
        exercised_by=("REQREP-5",),
    ),
    Clause(
        id="REQREP-6.a",
        level=MUST,
        section="REQREP-6",
        text="A requester started before any responder has bound its endpoint MUST get its "
        "reply once a responder binds it, without being restarted.",
        exercised_by=("REQREP-6",),
    ),
    Clause(
        id="REQREP-7.a",
        level=MUST,
        section="REQREP-7",
        text="The loop requester MUST send COUNT requests,",
        exercised_by=("REQREP-7",),
    ),
    Clause(
        id="REQREP-7.b",
        level=MUST,
        section="REQREP-7",
        text="each only after the reply to the previous one has arrived,",
        exercised_by=("REQREP-7",),
    ),
    Clause(
        id="REQREP-7.c",
        level=MUST,
        section="REQREP-7",
        text="print `Sending request <i> for FILE` for i = 1..COUNT",
        exercised_by=("REQREP-7",),
    ),
    Clause(
        id="REQREP-7.d",
        level=MUST,
        section="REQREP-7",
        text="and the COUNT replies in the order received,",
        exercised_by=("REQREP-7",),
    ),
    Clause(
        id="REQREP-7.e",
        level=MUST,
        section="REQREP-7",
        text="and exit 0.",
        exercised_by=("REQREP-7",),
    ),
    # --- §4 BROKER ---------------------------------------------------------------------------
    Clause(
        id="BROKER-1.a",
        level=MUST,
        section="BROKER-1",
        text="The broker MUST forward every message between its frontend and its backend, in "
        "both directions,",
        exercised_by=("BROKER-1",),
    ),
    Clause(
        id="BROKER-1.b",
        level=MUST,
        section="BROKER-1",
        text="with its frames unchanged: same number, same order, same bytes, empty frames "
        "included.",
        exercised_by=("BROKER-1",),
    ),
    Clause(
        id="BROKER-1.c",
        level=MUST,
        section="BROKER-1",
        text="A message sent before any worker is connected MUST wait, not be dropped.",
        exercised_by=("BROKER-1",),
    ),
    Clause(
        id="BROKER-2.a",
        level=MUST,
        section="BROKER-2",
        text="With K concurrent clients and M workers, every reply MUST reach the client that "
        "sent the request,",
        exercised_by=("BROKER-2",),
    ),
    Clause(
        id="BROKER-2.b",
        level=MUST,
        section="BROKER-2",
        text="exactly once.",
        exercised_by=("BROKER-2",),
    ),
    # --- §4 CLUSTER --------------------------------------------------------------------------
    Clause(
        id="CLUSTER-1.a",
        level=MUST,
        section="CLUSTER-1",
        text="The master MUST start WORKERS worker processes",
        exercised_by=("CLUSTER-1",),
    ),
    Clause(
        id="CLUSTER-1.b",
        level=MUST,
        section="CLUSTER-1",
        text="and print `Worker <pid> is online.` once for each,",
        exercised_by=("CLUSTER-1",),
    ),
    Clause(
        id="CLUSTER-1.c",
        level=MUST,
        section="CLUSTER-1",
        text="with the pid of that live worker.",
        exercised_by=("CLUSTER-1",),
    ),
    Clause(
        id="CLUSTER-2.a",
        level=MUST,
        section="CLUSTER-2",
        text="The master MUST spread requests over its W workers so that, of N >= 20W "
        "requests, each worker answers at least one",
        exercised_by=("CLUSTER-2",),
    ),
    Clause(
        id="CLUSTER-2.b",
        level=MUST,
        section="CLUSTER-2",
        text="and none answers more than 2N/W.",
        exercised_by=("CLUSTER-2",),
    ),
    Clause(
        id="CLUSTER-3.a",
        level=MUST,
        section="CLUSTER-3",
        text="When a worker dies, the master MUST print `Worker <pid> exited with code <code>`,",
        exercised_by=("CLUSTER-3",),
    ),
    Clause(
        id="CLUSTER-3.b",
        level=MUST,
        section="CLUSTER-3",
        text="start a replacement announced by `Worker <pid> is online.`,",
        exercised_by=("CLUSTER-3",),
    ),
    Clause(
        id="CLUSTER-3.c",
        level=MUST,
        section="CLUSTER-3",
        text="and keep answering, so that a client that retries gets every reply.",
        exercised_by=("CLUSTER-3",),
    ),
    Clause(
        id="CLUSTER-4.a",
        level=MUST,
        section="CLUSTER-4",
        text="A master that receives SIGTERM MUST end all its worker processes, so that none "
        "remains 2 s after the master has exited.",
        exercised_by=("CLUSTER-4",),
    ),
    Clause(
        id="CLUSTER-5.a",
        level=SHOULD,
        section="CLUSTER-5",
        text="After the master is killed with SIGKILL, its workers SHOULD exit on their own "
        "within 5 s.",
        exercised_by=("CLUSTER-5",),
    ),
    Clause(
        id="CLUSTER-6.a",
        level=MUST,
        section="CLUSTER-6",
        text="While one worker is stalled, the master MUST go on handing requests to its other "
        "workers and returning their replies.",
        exercised_by=("CLUSTER-6",),
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
        unexercised="not observable from outside: once the master has exited its zombies "
        "pass to a reaper, and a zombie counts as gone (CLUSTER-4)",
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
        unexercised="not observable: the harness cannot make a worker fail to start; only "
        "CLUSTER-3's 10 s for a replacement is checked",
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
