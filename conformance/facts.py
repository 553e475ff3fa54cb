"""What a driver saw that the transcript's I/O events cannot show, as typed events.

The I/O events of :mod:`conformance.model` (a line printed, a message sent, a process
that exited) are recorded by the harness's plumbing. A driver knows more: what it looked
up in /proc, which worker it killed, where a phase of the case began, what the manifest
says the role prints when ready. It records each such fact as one of these frozen events,
and its checker reads them back as objects (``transcript.of(WorkerKilled)``): nothing
travels as a string key, and nothing is parsed back from text. Case files write and read
them like any event (:mod:`conformance.casefile`). Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass

from conformance.model import Event, Transcript

# --- every case --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class WallClock(Event):
    """The wall clock, in ms since the epoch: when the case began (the world records it),
    and where a driver needs it again. Timestamps in messages are judged against it."""

    ms: int


@dataclass(frozen=True, kw_only=True)
class FrameCut(Event):
    """PEER received frame number FRAME of SIZE bytes, too large to keep: the transcript
    holds its first KEPT bytes (a reply of 100 MiB must not become 100 MiB of case file)."""

    peer: str
    frame: int
    size: int
    kept: int

    def describe(self) -> str:
        return (
            f"{self.peer} received a frame of {self.size} bytes (frame {self.frame}); "
            f"the transcript keeps its first {self.kept} bytes"
        )


@dataclass(frozen=True, kw_only=True)
class Undelimited(Event):
    """A client that talks as a REQ received a message without the empty delimiter frame
    (a REQ would drop it)."""

    peer: str


@dataclass(frozen=True, kw_only=True)
class Breach(Event):
    """The case broke containment (docs/harness.md, SPEC.md §5): processes that outlived it outside
    their group, too many processes, the harness's own endpoint taken. It fails the case,
    whatever the checker says; REASON says what happened, for the implementer."""

    reason: str


@dataclass(frozen=True, kw_only=True)
class StdoutCapped(Event):
    """PROCESS printed more than LIMIT bytes on stdout; the rest was read and discarded."""

    process: str
    limit: int


@dataclass(frozen=True, kw_only=True)
class Unkillable(Event):
    """Processes still there SECONDS after SIGKILL at teardown: PROCESS's group (its name),
    or, with PIDS, strays of the case outside any group."""

    seconds: float
    process: str = ""
    pids: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Counted(Event):
    """How many of PLACEHOLDER (``workers``, ``count``) the role runs: the case's VALUE, or,
    when its templates lack the placeholder (BOOK), the book's fixed number."""

    placeholder: str
    value: int
    book: bool = False


# --- servers: ready, bound, stopped ------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ReadyPattern(Event):
    """The regex of PROCESS's ready line in its manifest; None: the manifest gives none, so
    the harness cannot know when it claims to be ready."""

    process: str
    pattern: str | None


@dataclass(frozen=True, kw_only=True)
class EndpointProbed(Event):
    """Right after the ready line, a plain stream connection to the ENDPOINT given for
    PLACEHOLDER: accepted, or REFUSED (why)."""

    placeholder: str
    endpoint: str
    refused: str | None = None


@dataclass(frozen=True, kw_only=True)
class StopSent(Event):
    """The harness is about to send SIGNAL (a name: SIGTERM, SIGINT, SIGKILL) to stop PROCESS."""

    process: str
    signal: str


@dataclass(frozen=True, kw_only=True)
class ExitSeen(Event):
    """PROCESS exited with CODE within the deadline the harness gave it after StopSent."""

    process: str
    code: int


@dataclass(frozen=True, kw_only=True)
class IpcFileLeft(Event):
    """The socket file of an ipc endpoint the server bound, still there after its exit."""

    path: str


# --- the cluster's processes, as /proc shows them -----------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SeenAlive(Event):
    """Whether the process PID was running when the harness looked (a zombie is not)."""

    pid: int
    alive: bool


@dataclass(frozen=True, kw_only=True)
class SeenMember(Event):
    """Whether PID is the master's (a descendant of it, or in its process group)."""

    pid: int
    member: bool


@dataclass(frozen=True, kw_only=True)
class SeenGroup(Event):
    """PID's process group, from ``/proc/PID/stat``."""

    pid: int
    pgid: int


@dataclass(frozen=True, kw_only=True)
class GroupMemberLeft(Event):
    """A live process of the master's group that no online line announced, after the stop;
    COMMAND is its command line."""

    pid: int
    command: str


@dataclass(frozen=True, kw_only=True)
class ReapLooked(Event):
    """CLUSTER-4 (LIFECYCLE-5.e): the harness, a child subreaper, looked at its own children
    the moment it saw the master exit. The kernel hands it every child the master had not
    reaped before that moment is reported, so each worker the master left is among them (an
    :class:`AdoptedAtExit` each); no such event: the harness did not look."""


@dataclass(frozen=True, kw_only=True)
class AdoptedAtExit(Event):
    """A child of the harness at that look, other than the master: running, or a ZOMBIE that
    nobody reaped. The checker tells which of them the master announced as workers."""

    pid: int
    zombie: bool


# --- the cluster's phases and the harness's actions on workers ----------------------------------


@dataclass(frozen=True, kw_only=True)
class WarmedUp(Event):
    """The pids that answered during the warm-up (CLUSTER-2, CLUSTER-6)."""

    pids: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class CountingBegan(Event):
    """CLUSTER-2: the replies after this event are counted."""


@dataclass(frozen=True, kw_only=True)
class PlayEnded(Event):
    """The driver is done: what the master prints after this (its teardown) does not count."""


@dataclass(frozen=True, kw_only=True)
class WorkerKilled(Event):
    """The harness is about to SIGKILL the worker PID (CLUSTER-3, CLUSTER-4/5)."""

    pid: int


@dataclass(frozen=True, kw_only=True)
class BlockingBegan(Event):
    """CLUSTER-3 (LIFECYCLE-5.i): for SECONDS from now, before the kill that follows, every
    process the master starts is SIGKILLed as soon as the harness sees it."""

    seconds: float


@dataclass(frozen=True, kw_only=True)
class StartBlocked(Event):
    """A process PID the master started in that window, which the harness killed at once (or
    found already gone)."""

    pid: int


@dataclass(frozen=True, kw_only=True)
class BlockingEnded(Event):
    """The window is over: the harness kills no more; MASTER_ALIVE, whether the master still
    ran at its end (it stops early if the master is gone)."""

    master_alive: bool


@dataclass(frozen=True, kw_only=True)
class KillRefused(Event):
    """The harness could not make a kill of its schedule: REASON."""

    reason: str


@dataclass(frozen=True, kw_only=True)
class WorkerStalled(Event):
    """CLUSTER-6 is about to stop the worker PID (SIGSTOP); the burst of requests follows."""

    pid: int


@dataclass(frozen=True, kw_only=True)
class StallRefused(Event):
    """CLUSTER-6 could not stop a worker of the cluster: REASON."""

    reason: str


@dataclass(frozen=True, kw_only=True)
class WorkerContinued(Event):
    """CLUSTER-6's window is over: the stopped worker gets SIGCONT, REPLIES replies having
    arrived while it was stopped (those recorded before this event)."""

    replies: int


@dataclass(frozen=True, kw_only=True)
class Retried(Event):
    """CLUSTER-3's Lazy Pirate got no reply to REQUEST within SECONDS on PEER, try ATTEMPT
    of TRIES: it closes that socket and tries on a fresh one."""

    request: int
    peer: str
    attempt: int
    tries: int
    seconds: float


# --- PUB/SUB -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class WatchedFile(Event):
    """FILE as the publisher's command line gives it (a spelling of the watched path)."""

    file: str


@dataclass(frozen=True, kw_only=True)
class RunningAtEnd(Event):
    """Whether every process of the case still ran when the driver was done."""

    running: bool


# --- the requesters ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SendingLineMissing(Event):
    """Request REQUEST arrived, but its Sending line was not printed in time after it."""

    request: int


@dataclass(frozen=True, kw_only=True)
class SilentAtStart(Event):
    """REQREP-6: the requester printed no Sending line within SECONDS of its start."""

    seconds: float


@dataclass(frozen=True, kw_only=True)
class RunningAtBind(Event):
    """REQREP-6: whether the requester still ran when the harness bound its responder."""

    running: bool


@dataclass(frozen=True, kw_only=True)
class EarlyRequest(Event):
    """REQREP-7: a request (FRAMES) arrived before reply number BEFORE_REPLY was sent."""

    before_reply: int
    frames: tuple[bytes, ...]


FACTS: tuple[type[Event], ...] = (
    WallClock,
    FrameCut,
    Undelimited,
    Breach,
    StdoutCapped,
    Unkillable,
    Counted,
    ReadyPattern,
    EndpointProbed,
    StopSent,
    ExitSeen,
    IpcFileLeft,
    SeenAlive,
    SeenMember,
    SeenGroup,
    GroupMemberLeft,
    ReapLooked,
    AdoptedAtExit,
    WarmedUp,
    CountingBegan,
    PlayEnded,
    WorkerKilled,
    BlockingBegan,
    StartBlocked,
    BlockingEnded,
    KillRefused,
    WorkerStalled,
    StallRefused,
    WorkerContinued,
    Retried,
    WatchedFile,
    RunningAtEnd,
    SendingLineMissing,
    SilentAtStart,
    RunningAtBind,
    EarlyRequest,
)
"""Every fact type, for case files (a test keeps it complete)."""


def counted(transcript: Transcript, placeholder: str, default: int) -> int:
    """The number of PLACEHOLDER the role ran (its first :class:`Counted`), else DEFAULT."""
    found = (event.value for event in transcript.of(Counted) if event.placeholder == placeholder)
    return next(found, default)
