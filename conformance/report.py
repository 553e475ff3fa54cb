"""Writing the run's report: report.json now; report.html comes with the report issue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write(directory: Path, document: dict[str, Any]) -> Path:
    """Write DIRECTORY/report.json; return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "report.json"
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
