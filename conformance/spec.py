"""The requirement registry: one entry per numbered requirement of SPEC.md, in its order.

Pure data. SPEC.md is the prose; this is what the harness cites. Each requirement is
declared in the checker module that judges it (``REQUIREMENTS`` of
``conformance/checks/<pattern>.py``, beside its clauses); this module collects them, ordered
as SPEC.md orders them: by :data:`GROUPS`, then by number. A test keeps the two in sync
(every id here has a heading there, and back).
"""

from __future__ import annotations

import importlib
import pkgutil

from conformance import checks, roles
from conformance.normative import Level, Requirement

__all__ = ["BY_ID", "FILERS", "GROUPS", "REQUIREMENTS", "ROLES", "SERVERS", "Level", "Requirement"]

ROLES, SERVERS, FILERS = roles.ROLES, roles.SERVERS, roles.FILERS
"""The roles (from the role table, :mod:`conformance.roles`), its servers and responders."""

GROUPS = ("LIFE", "PUBSUB", "REQREP", "BROKER", "CLUSTER")
"""The requirement groups in SPEC.md's order (§4): a new group needs its place here."""


def _declared() -> list[Requirement]:
    """The REQUIREMENTS of every checker module (conformance.checks.*)."""
    found: list[Requirement] = []
    for info in pkgutil.iter_modules(checks.__path__):
        module = importlib.import_module(f"{checks.__name__}.{info.name}")
        found.extend(getattr(module, "REQUIREMENTS", ()))
    return found


REQUIREMENTS: tuple[Requirement, ...] = tuple(
    sorted(_declared(), key=lambda req: (GROUPS.index(req.pattern), req.number))
)
"""Every requirement, in SPEC.md order."""

BY_ID: dict[str, Requirement] = {requirement.id: requirement for requirement in REQUIREMENTS}


def requirement(id: str) -> Requirement:
    """The requirement with this id; KeyError names the known ids."""
    try:
        return BY_ID[id]
    except KeyError:
        raise KeyError(f"unknown requirement {id!r}; known: {', '.join(BY_ID)}") from None
