"""The files of a fuzz campaign: a served root full of traps, and canaries outside it.

    <base>/                 the servers' working directory (a relative open lands here)
      canary.txt            must never be opened: watched (bench/canary.py)
      outside/outside.txt   the suite's own file outside the root (REQREP-3 kinds)
      root/                 --root: text files, subfolders, unicode names, symlinks in
                            and out, and every file the suite's bad-request kinds need

:func:`build_tree` makes them and returns a :class:`Tree`: what the request
generator (bench/fuzz_requests.py) needs to know, as plain data.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

from conformance.properties.reqrep import GOOD_NAME, bad_kinds, bad_request_frames

if TYPE_CHECKING:
    from conformance.world import World

CANARY_NAME = "canary.txt"
OUTSIDE_DIR = "outside"
BIG_SIZE = 1 << 20
"""Characters of the largest text file served: replies of over a MiB."""


@dataclass(frozen=True)
class Tree:
    """What the served root holds, as the request generator needs to know it."""

    base: Path
    root: Path
    texts: dict[str, str]
    """Relative path of every UTF-8 text file under the root -> its text (all distinct)."""
    directories: tuple[str, ...]
    """Relative paths of the folders under the root."""
    names: tuple[str, ...]
    """Every name of an entry under the root, at any depth (path components to draw)."""
    escapes: tuple[str, ...]
    """Relative paths that resolve outside the root (through ``..`` or a symlink)."""
    kinds: dict[str, tuple[bytes, ...]]
    """The frames of each kind of bad request the suite sends (REQREP-3)."""
    canaries: tuple[Path, ...]
    """Paths outside the root that no server may open (a folder: nor anything in it)."""


def build_tree(base: Path) -> Tree:
    """Make the campaign's files under BASE (an empty folder) and describe them."""
    root = base / "root"
    root.mkdir()
    token = secrets.token_hex(8)
    (base / CANARY_NAME).write_text(f"CANARY {token}: a server read a file outside its root\n")
    texts = {
        GOOD_NAME: "good \N{CHECK MARK}\r\n",
        "sub/inner.txt": "inner\n",
        "sub/deeper/leaf.txt": "leaf \U0001f343\n",
        "\u00fcn\u00efc\u00f6d\u00e9/\u540d\u524d.txt": "unicode names \u4e2d\u6587\n",
        "nfd-e\u0301.txt": "a decomposed name\n",
        "with space & 'quotes'.txt": "quotes\n",
        ".hidden": "a dot file\n",
        "empty.txt": "",
        "nul-inside.txt": "before\x00after\n",
        "bom.txt": "\ufeffwith a BOM\r\n",
        "big.txt": ("0123456789abcdef" * (BIG_SIZE // 16 + 1))[:BIG_SIZE],
    }
    for relative, text in texts.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    links = {
        "link-in": GOOD_NAME,
        "link-sub": "sub",
        "link-canary": f"../{CANARY_NAME}",
        "link-canary-absolute": str(base / CANARY_NAME),
        "link-up": "..",
        "link-system": "/",
        "sub/link-back": "../good.txt",
    }
    for name, target in links.items():
        (root / name).symlink_to(target)
    world = cast("World", SimpleNamespace(files=root, endpoints=SimpleNamespace(directory=base)))
    kinds = {kind: bad_request_frames(world, kind) for kind in bad_kinds(denial=False)}
    escapes = (
        f"../{CANARY_NAME}",
        f"sub/../../{CANARY_NAME}",
        f"link-sub/../../{CANARY_NAME}",
        f"./sub/deeper/../../../{CANARY_NAME}",
        "link-canary",
        "link-canary-absolute",
        f"link-up/{CANARY_NAME}",
        f"link-up/root/../{CANARY_NAME}",
        f"link-up/{OUTSIDE_DIR}/outside.txt",
        f"link-system{base / CANARY_NAME}",
        "link-system/etc/passwd",
        "../../../../../../../../etc/passwd",
        "../no such file",
        "..",
        "escape",
        "escape-dir/outside.txt",
    )
    names: set[str] = set()
    directories = []
    for folder, subfolders, files in os.walk(root):
        names.update(subfolders)
        names.update(files)
        relative = os.path.relpath(folder, root)
        if relative != ".":
            directories.append(relative)
    return Tree(
        base=base,
        root=root,
        texts=texts,
        directories=tuple(sorted(directories)),
        names=tuple(sorted(names)),
        escapes=escapes,
        kinds=kinds,
        canaries=(base / CANARY_NAME, base / OUTSIDE_DIR),
    )
