"""Strips the target's identity from every call report of the suite: its verdict is lost."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from conformance.pytest_plugin import TARGET_PROPERTY


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        report.user_properties = [
            (name, value) for name, value in report.user_properties if name != TARGET_PROPERTY
        ]
