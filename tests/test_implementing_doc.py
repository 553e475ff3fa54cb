"""docs/implementing.md's manifest is a valid manifest, and its commands are real options."""

from __future__ import annotations

import re
from pathlib import Path

from conformance.__main__ import build_parser
from conformance.manifest import load_manifest

DOC = Path(__file__).resolve().parents[1] / "docs" / "implementing.md"


def test_the_example_manifest_loads(tmp_path: Path) -> None:
    (block,) = re.findall(r"```toml\n(.*?)```", DOC.read_text(), re.S)
    (tmp_path / "my.toml").write_text(block)
    manifest = load_manifest(tmp_path / "my.toml")
    assert set(manifest.roles) == {"filer-rep", "filer-req", "filer-rep-cluster"}
    assert manifest.setup_commands() == (("make", "-C", str(tmp_path)),)


def test_the_example_commands_parse() -> None:
    commands = re.findall(r"^(python -m conformance .*?)(?:\s+#.*)?$", DOC.read_text(), re.M)
    assert len(commands) >= 5
    for command in commands:
        words = command.split()[3:]
        build_parser().parse_args([word.replace("<hash>", "x") for word in words])
