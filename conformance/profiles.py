"""Hypothesis profiles of the suite: ``dev`` (quick), ``ci`` (the default), ``thorough``.

Each example starts real processes, so examples are few and shrinking is off
by default: a shrink step costs a process start, and the case file keeps the
failing example whole. Choose with ``--profile`` or ``CONFORMANCE_PROFILE``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

from conformance.errors import UsageError

PROFILE_VARIABLE = "CONFORMANCE_PROFILE"
DEFAULT_PROFILE = "ci"

_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": list(HealthCheck),
    "print_blob": True,
    "report_multiple_bugs": False,
}
_NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target)

PROFILES: dict[str, settings] = {
    "dev": settings(max_examples=3, phases=_NO_SHRINK, **_COMMON),  # type: ignore[arg-type]
    "ci": settings(max_examples=6, derandomize=True, phases=_NO_SHRINK, **_COMMON),  # type: ignore[arg-type]
    "thorough": settings(max_examples=60, **_COMMON),  # type: ignore[arg-type]
}


def profile(name: str | None = None) -> tuple[str, settings]:
    """The named profile, else ``$CONFORMANCE_PROFILE``, else ``ci``; UsageError if unknown."""
    chosen = name or os.environ.get(PROFILE_VARIABLE) or DEFAULT_PROFILE
    if chosen not in PROFILES:
        raise UsageError(f"unknown profile {chosen!r}; choose one of {', '.join(PROFILES)}")
    return chosen, PROFILES[chosen]
