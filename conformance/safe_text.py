"""Text that came from an implementation, made safe to show on a terminal or a page.

An implementation's output and replies reach explanations, the terminal summary and
the HTML report. Control characters there could move the cursor, recolour or clear
a terminal (ANSI escapes), hide text (CR, bidi overrides) or break a page (NUL), and
a reply of 100 MiB would drown everything else. :func:`visible` writes every such
character as a visible escape (``\\x1b``, ``\\u202e``); :func:`clip` cuts the middle
out of a text that is too long. Pure functions.
"""

from __future__ import annotations

import re

KEEP = "\n\t"
"""Control characters that keep their meaning: line breaks and tabs."""
HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]"
)
"""C0 and C1 controls except LF and TAB, DEL, and the characters that reorder text."""


def visible(text: str) -> str:
    """TEXT with every control character written as an escape: ESC becomes ``\\x1b``."""
    return HIDDEN.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clip(text: str, limit: int) -> str:
    """TEXT, or its first and last LIMIT/2 characters with a note of what was cut between."""
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}\n[... {len(text) - 2 * half} characters cut ...]\n{text[-half:]}"
