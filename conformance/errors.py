"""The ways a run can go wrong, kept apart so that only one counts against an implementation.

A :class:`ConformanceFailure` is the implementation's doing (it never printed its
ready line, it hung, it exited early) and becomes a FAIL; a :class:`HarnessError`
is ours (a bug, a lock we could not get) and becomes an ERROR. A :class:`UsageError`
is the user's input (a manifest, its setup, a case file, an option) and stops the run
before any case, with a message that says what to fix.
"""

from __future__ import annotations


class UsageError(Exception):
    """Input the suite cannot use: an invalid manifest, a failed setup, a bad case file or
    option. The run stops before any case (exit 4; ``replay`` exits 2)."""


class HarnessError(Exception):
    """The harness itself failed: a bug in it, or a misconfiguration."""


class ConformanceFailure(Exception):
    """The implementation misbehaved; ``requirement`` names the SPEC.md id when known."""

    def __init__(self, message: str, *, requirement: str | None = None) -> None:
        super().__init__(message)
        self.requirement = requirement


class NotApplicable(Exception):
    """The implementation cannot be judged on this requirement (e.g. LIFE-1 for a role that
    declares no ready line): reported as "not implemented", neither pass nor fail."""
