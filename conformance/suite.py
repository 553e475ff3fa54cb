"""The conformance suite as pytest items: one per requirement x role x implementation.

Collected when pytest runs with ``--impl`` (see conformance.pytest_plugin);
``python -m conformance run`` runs it for you.
"""

from __future__ import annotations

import pytest

from conformance.pytest_plugin import verify
from conformance.targets import Target


def test_requirement(conformance_target: Target, request: pytest.FixtureRequest) -> None:
    """Verify one requirement of one role of one implementation."""
    __tracebackhide__ = True
    verify(conformance_target, request)
