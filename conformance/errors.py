"""The two ways a case can go wrong, kept apart so that only one counts against an implementation.

A :class:`ConformanceFailure` is the implementation's doing (it never printed its
ready line, it hung, it exited early) and becomes a FAIL; a :class:`HarnessError`
is ours (a bug, a bad manifest, a lock we could not get) and becomes an ERROR.
"""

from __future__ import annotations


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
