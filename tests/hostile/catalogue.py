"""The zoo of hostile implementations: what each does, and the verdict the suite must give.

Pure data for ``tests/hostile/test_zoo.py``. Each name is a program
``tests.hostile.<name>`` (its docstring says what it does) and a manifest
``tests/hostile/manifests/<name>.toml`` named ``hostile-<name with dashes>`` that
lists only ROLE. The suite runs it on REQUIREMENT and must give OUTCOME, with an
explanation that EXPLANATION (a regex) finds (``re.search``; "" for a pass).
"""

from __future__ import annotations

from typing import NamedTuple


class Hostile(NamedTuple):
    name: str
    role: str
    requirement: str
    outcome: str
    explanation: str

    @property
    def implementation(self) -> str:
        return "hostile-" + self.name.replace("_", "-")


ZOO: tuple[Hostile, ...] = (
    Hostile(
        "daemonizes",
        "filer-rep",
        "LIFE-2",
        "fail",
        r"^filer-rep left 1 process running outside the process group it was started in, "
        r"after the end of the case: pid \d+ \(sleep 3600\) in a session of its own \(setsid\)\. "
        r"SPEC\.md §5: every process of an implementation MUST stay in the process group",
    ),
    Hostile("floods_stdout", "filer-rep", "LIFE-1", "pass", ""),
    Hostile(
        "garbage_output",
        "filer-rep",
        "REQREP-1",
        "fail",
        r"^reply 1 does not carry the content of 'small\.txt'",
    ),
    Hostile("closes_stdout", "filer-rep", "LIFE-2", "pass", ""),
    Hostile(
        "ready_then_exits",
        "filer-rep",
        "LIFE-1",
        "fail",
        r"^the server printed its ready line before it was bound: .*connection refused",
    ),
    Hostile(
        "ignores_signals",
        "filer-rep",
        "LIFE-2",
        "fail",
        r"^the server did not exit within 5 s of SIG(TERM|INT)",
    ),
    Hostile(
        "forks_500",
        "filer-rep",
        "LIFE-1",
        "fail",
        r"^filer-rep started more than 100 processes \(\d+ at once in this case\); "
        r"the harness killed them all",
    ),
    Hostile(
        "binds_harness_endpoint",
        "filer-req",
        "REQREP-6",
        "fail",
        r"^the harness could not bind its own endpoint: Address already in use "
        r"\(addr='tcp://127\.0\.0\.1:\d+'\)\. .* a role MUST connect to the endpoints",
    ),
    Hostile(
        "sigstops_itself",
        "filer-rep",
        "LIFE-1",
        "fail",
        r"^the first request after the ready line was not served: request 1 for 'served\.txt' "
        r"got no reply",
    ),
    Hostile(
        "exits_255",
        "filer-rep",
        "LIFE-2",
        "fail",
        r"^the server did not exit cleanly on SIG(TERM|INT): it exited with status 255",
    ),
    Hostile(
        "dies_by_signal",
        "filer-rep",
        "REQREP-1",
        "fail",
        r"^request 1 for 'small\.txt' got no reply\n.*filer-rep exited \(-6\)",
    ),
    Hostile(
        "garbage_client",
        "filer-req",
        "REQREP-5",
        "fail",
        r"^stdout ended after 1 lines: a transcript line is missing\n"
        r"\(the example stopped early: waited 10 s in vain for request 1\)",
    ),
    Hostile(
        "replies_100mib",
        "filer-rep",
        "REQREP-1",
        "fail",
        r"^reply 1 \(for 'small\.txt'\) is malformed.*\n"
        r"\(client received a frame of 10485\d{4} bytes \(frame 1\); the transcript keeps its "
        r"first 65536 bytes",
    ),
)

BY_NAME = {hostile.name: hostile for hostile in ZOO}

BATCHES: dict[str, tuple[str, ...]] = {
    "stops-and-daemons": (
        "sigstops_itself",
        "daemonizes",
        "closes_stdout",
        "garbage_output",
        "exits_255",
    ),
    "exits-and-floods": ("ready_then_exits", "replies_100mib", "forks_500", "dies_by_signal"),
    "signals-and-clients": (
        "ignores_signals",
        "binds_harness_endpoint",
        "garbage_client",
        "floods_stdout",
    ),
}
"""Runs of the suite, each with some of the zoo and the reference: balanced, since the test
runs them in parallel."""

REFERENCE_ITEMS = (
    "(reference and filer-rep and not cluster and (LIFE-1 or LIFE-2))",
    "(reference and filer-req and not loop and (REQREP-5 or REQREP-6))",
)
"""The reference's items each run takes along: they must pass, undisturbed by the zoo."""
