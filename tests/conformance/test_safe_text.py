"""Text from implementations is shown with its control characters as escapes, and clipped."""

from __future__ import annotations

import pytest

from conformance.safe_text import clip, visible


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred"),
        ("nul\x00here", "nul\\x00here"),
        ("over\rwritten", "over\\x0dwritten"),
        ("bell\x07 del\x7f csi\x9b", "bell\\x07 del\\x7f csi\\x9b"),
        ("\u202eevil\u202c \u2066x\u2069", "\\u202eevil\\u202c \\u2066x\\u2069"),
        ("lines\nand\ttabs stay", "lines\nand\ttabs stay"),
        ("café 文件 🙂 \ufffd", "café 文件 🙂 \ufffd"),
    ],
)
def test_control_characters_become_visible_escapes(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_a_long_text_loses_its_middle_with_a_note() -> None:
    assert clip("short", 10) == "short"
    clipped = clip("a" * 50 + "b" * 50, 20)
    assert clipped == "a" * 10 + "\n[... 80 characters cut ...]\n" + "b" * 10
