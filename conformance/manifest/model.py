"""The manifest as data: the roles it declares and how to start each, validated, not expanded.

The vocabulary of the format (keys, placeholders per role) lives here too, with the error
types that name a manifest's problems. Loading and validating a file is
conformance.manifest.validation's job; expanding a template is conformance.manifest.template's.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Final

from conformance.endpoint import Endpoint
from conformance.errors import UsageError
from conformance.manifest.template import MissingValue, expand, placeholders
from conformance.roles import ENDPOINT_PLACEHOLDERS, TABLE

# --- the vocabulary ------------------------------------------------------------------------

COMMON_PLACEHOLDERS: Final = ("python", "here", "tmp")
"""Placeholders every role may use: the interpreter, the manifest's folder, a fresh temp dir."""

ENDPOINT_KEYS: Final = ENDPOINT_PLACEHOLDERS
"""The placeholders that are endpoints; a role may instead fix them with a key of that name."""

PLACEHOLDERS: Final = (
    *COMMON_PLACEHOLDERS,
    "endpoint",
    "frontend",
    "backend",
    "file",
    "root",
    "workers",
    "count",
)
"""Every placeholder of the format, in the order of issue 3."""

ROLE_PLACEHOLDERS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {role.name: (*COMMON_PLACEHOLDERS, *role.placeholders) for role in TABLE}
)
"""The placeholders the harness gives each role: a role's templates may use only these."""

REQUIRED_ENDPOINTS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {role.name: role.endpoints for role in TABLE}
)
"""Endpoints the harness binds or connects to, so a role must use or fix them.

The cluster's backend is internal to it (master to workers), so it may stay hard-coded and
undeclared: in its own fresh ``{tmp}`` cwd a relative ipc path cannot collide anyway.
"""

SETUP_PLACEHOLDERS: Final = ("python", "here")
"""Setup runs once per manifest before any case, so per-process values do not exist yet."""

TOP_LEVEL_KEYS: Final = (
    "name",
    "description",
    "setup",
    "setup_inputs",
    "expected_failures",
    "roles",
)
ROLE_KEYS: Final = ("argv", "ready", "cwd", "env", "setup")
DEFAULT_CWD: Final = "{tmp}"

EXAMPLE_ARGV = '["{python}", "-m", "my_impl.filer_rep", "--bind", "{endpoint}"]'
BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
ENV_NAME = re.compile(r"[^=\0]+")


def key_path(*parts: str | int) -> str:
    """A TOML key path as a user would write it: ``roles.filer-rep.argv[3]``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if BARE_KEY.fullmatch(part) else json.dumps(part, ensure_ascii=False)
            text += f".{name}" if text else name
    return text


# --- errors --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a manifest: where (a TOML key path, "" for the whole file) and what."""

    key: str
    message: str


class ManifestError(UsageError):
    """A manifest that cannot be used; lists every problem, one line each, file and key first."""

    def __init__(self, path: str | os.PathLike[str], problems: Sequence[Problem]) -> None:
        self.path = Path(path)
        self.problems = tuple(problems)
        lines = [
            f"{self.path}: {problem.key}: {problem.message}"
            if problem.key
            else f"{self.path}: {problem.message}"
            for problem in self.problems
        ]
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple[type[ManifestError], tuple[Path, tuple[Problem, ...]]]:
        return (type(self), (self.path, self.problems))


def resolve_endpoint(endpoint: str, cwd: Path) -> str:
    """The endpoint as seen from anywhere: a relative ipc path is made absolute from CWD.

    Programs that hard-code ``ipc://filer-dealer.ipc`` bind it in their own working
    directory; the harness, which runs elsewhere, connects to the resolved path.
    """
    return str(Endpoint.parse(endpoint).resolved(cwd))


# --- the model -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Invocation:
    """One process to start: its argv, its working directory, and extra environment variables.

    ``env`` holds only the manifest's variables; the caller adds them to its own environment.
    """

    argv: tuple[str, ...]
    cwd: Path
    env: dict[str, str]


def frozen_empty() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class RoleSpec:
    """How to start one role: templates as written in the manifest, validated, not expanded."""

    role: str
    argv: tuple[str, ...]
    ready: re.Pattern[str] | None = None
    cwd: str | None = None
    env: Mapping[str, str] = field(default_factory=frozen_empty)
    setup: tuple[tuple[str, ...], ...] = ()
    fixed: Mapping[str, str] = field(default_factory=frozen_empty)
    """Endpoints the program hard-codes, by placeholder name; they win over chosen values."""

    def _templates(self) -> Iterable[tuple[str, str]]:
        for index, template in enumerate(self.argv):
            yield key_path("roles", self.role, "argv", index), template
        yield key_path("roles", self.role, "cwd"), self.cwd or DEFAULT_CWD
        for name, template in self.env.items():
            yield key_path("roles", self.role, "env", name), template

    def placeholders_used(self) -> frozenset[str]:
        """The names the harness must give values for (``tmp`` too when cwd is the default)."""
        used: set[str] = set()
        for _, template in self._templates():
            used |= placeholders(template)
        return frozenset(used)

    def endpoint(self, name: str, chosen: str) -> str:
        """The endpoint the program will use for NAME: its fixed one if any, else CHOSEN."""
        return self.fixed.get(name, chosen)

    def invocation(self, values: Mapping[str, str]) -> Invocation:
        """Expand argv, cwd and env with VALUES (fixed endpoints win) into an Invocation.

        A relative cwd is taken from ``{here}``, so that a manifest means the same wherever
        the harness runs. Raises MissingValue, naming the role and key, for a missing value.
        """
        merged = {**values, **self.fixed}

        def expand_at(key: str, template: str) -> str:
            try:
                return expand(template, merged)
            except MissingValue as missing:
                raise MissingValue(
                    missing.placeholder, role=self.role, key=key, given=merged
                ) from None

        argv = tuple(
            expand_at(key_path("roles", self.role, "argv", index), template)
            for index, template in enumerate(self.argv)
        )
        cwd_key = key_path("roles", self.role, "cwd")
        cwd = Path(expand_at(cwd_key, self.cwd or DEFAULT_CWD))
        if not cwd.is_absolute():
            cwd = Path(expand_at(cwd_key, "{here}")) / cwd
        env = {
            name: expand_at(key_path("roles", self.role, "env", name), template)
            for name, template in self.env.items()
        }
        return Invocation(argv=argv, cwd=cwd, env=env)


@dataclass(frozen=True)
class Manifest:
    """A loaded, valid manifest: the roles one implementation provides and how to start them."""

    name: str
    path: Path
    """The manifest file, absolute and resolved."""
    here: Path
    """The folder of the manifest file: ``{here}``, and where setup commands run."""
    sha256: str
    """Hex digest of the file's bytes: identifies this exact manifest in reports and caches."""
    roles: Mapping[str, RoleSpec]
    setup: tuple[tuple[str, ...], ...] = ()
    setup_inputs: tuple[str, ...] = ()
    """Globs (templates) of the files setup reads: unchanged, setup need not run again."""
    expected_failures: Mapping[str, str] = field(default_factory=frozen_empty)
    description: str = ""

    def implements(self, role: str) -> bool:
        """Whether the manifest declares ROLE; roles it does not are "not implemented"."""
        return role in self.roles

    def role(self, role: str) -> RoleSpec:
        """The spec of ROLE; KeyError naming the roles it has if it has not this one."""
        try:
            return self.roles[role]
        except KeyError:
            raise KeyError(
                f"{self.path}: manifest {self.name!r} does not implement {role!r}; "
                f"it implements: {', '.join(self.roles) or 'nothing'}"
            ) from None

    def base_values(self) -> dict[str, str]:
        """The placeholder values the manifest itself knows: ``{python}`` and ``{here}``."""
        return {"python": sys.executable, "here": str(self.here)}

    def invocation(self, role: str, values: Mapping[str, str]) -> Invocation:
        """RoleSpec.invocation with ``{python}`` and ``{here}`` filled in unless given."""
        return self.role(role).invocation({**self.base_values(), **values})

    def setup_commands(self) -> tuple[tuple[str, ...], ...]:
        """Every setup command, top level first, then per role; expanded and deduplicated."""
        values = self.base_values()
        commands: list[tuple[str, ...]] = []
        for command in (*self.setup, *(c for spec in self.roles.values() for c in spec.setup)):
            expanded = tuple(expand(word, values) for word in command)
            if expanded not in commands:
                commands.append(expanded)
        return tuple(commands)

    def setup_input_patterns(self) -> tuple[str, ...]:
        """The ``setup_inputs`` globs, expanded (relative ones are taken from ``{here}``)."""
        values = self.base_values()
        return tuple(expand(pattern, values) for pattern in self.setup_inputs)
