"""Kills the pytest-xdist worker that runs REQREP-1, in the middle of the item."""

from __future__ import annotations

import os

import pytest


def pytest_runtest_call(item: pytest.Item) -> None:
    target = getattr(item, "callspec", None) and item.callspec.params.get("conformance_target")
    if hasattr(item.config, "workerinput") and target and target.prop.requirement_id == "REQREP-1":
        os._exit(17)
