"""Every property of the suite, in SPEC.md order, and the targets they make."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

from conformance import properties
from conformance.errors import UsageError
from conformance.manifest import Manifest
from conformance.properties import Property
from conformance.spec import REQUIREMENTS
from conformance.targets import Target


def all_properties() -> list[type[Property[Any]]]:
    """The property classes of the requirements, ordered as the requirements are in SPEC.md:
    the ``PROPERTIES`` of every module of this package (interop's check no requirement)."""
    order = {requirement.id: index for index, requirement in enumerate(REQUIREMENTS)}
    found = [
        prop
        for module in property_modules()
        for prop in getattr(module, "PROPERTIES", ())
        if prop.requirement_id in order
    ]
    return sorted(found, key=lambda prop: order[prop.requirement_id])


def property_modules() -> list[ModuleType]:
    """Every module of conformance.properties, imported (a new one needs no entry here)."""
    return [
        importlib.import_module(f"{properties.__name__}.{info.name}")
        for info in pkgutil.iter_modules(properties.__path__)
    ]


def targets_for(manifest: Manifest) -> list[Target]:
    """One target per property and role it applies to, for MANIFEST."""
    return [Target(prop, role, manifest) for prop in all_properties() for role in prop.applies_to()]


def interop_targets(manifests: list[Manifest]) -> list[Target]:
    """Each implementation's clients against each implementation's servers (interop.PAIRS)."""
    from conformance.properties.interop import PAIRS, property_for_pair

    return [
        Target(property_for_pair(client_role), client_role, client, peers={server_role: server})
        for client_role, server_role in PAIRS
        for client in manifests
        for server in manifests
    ]


def property_for(requirement_id: str) -> type[Property[Any]]:
    """The property class of a requirement; a UsageError names the known ones."""
    from conformance.properties import interop

    for prop in [*all_properties(), *interop.PROPERTIES]:
        if prop.requirement_id == requirement_id:
            return prop
    known = ", ".join(prop.requirement_id for prop in all_properties())
    raise UsageError(f"no property checks {requirement_id!r}; known: {known}")
