"""Mutant: filer-rep calls files with Unicode noncharacters not UTF-8. Should fail REQREP-1.

U+FFFE, U+FFFF, U+FDD0..U+FDEF and the last two code points of every plane
are valid UTF-8 (SPEC.md 3.4: any text is served unchanged); some validators
reject them.
"""

from __future__ import annotations

from reference import filer_rep
from reference.filer import Filer, FilerError

_read = Filer.read


def is_noncharacter(char: str) -> bool:
    code = ord(char)
    return (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF


def read(self: Filer, path: str) -> str:
    text = _read(self, path)
    if any(is_noncharacter(char) for char in text):  # BUG: valid UTF-8 refused
        raise FilerError("not_utf8", f"{path!r} holds a noncharacter")
    return text


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
