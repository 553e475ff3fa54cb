"""The manifest: how to start each role of one implementation, read from a TOML file.

The manifest is the one plug between the suite and an implementation (issue 3, "The
manifest"). This module reads it and validates it with errors that name the file, the key
and the fix; expands a role's ``{placeholder}`` templates into an :class:`Invocation`; (the
``setup`` commands are run by :mod:`conformance.setup_runner`).

Format, in short::

    name = "reference"
    description = "..."                       # optional
    setup = [["npm", "ci"]]                   # optional, run from {here} before any case
    setup_inputs = ["package-lock.json"]      # optional: what setup reads (globs from {here})
    expected_failures = {"REQREP-7" = "why"}  # optional

    [roles.filer-rep]
    argv = ["{python}", "-m", "reference.filer_rep", "--bind", "{endpoint}", "--root", "{root}"]
    ready = "Listening for zmq requesters"    # optional regex, searched in each stdout line
    cwd = "{tmp}"                             # optional; relative paths are from {here}
    env = {NAME = "value"}                    # optional, added to the harness's environment
    setup = [["make"]]                        # optional, run with the top-level setup
    endpoint = "tcp://127.0.0.1:5433"         # optional: an endpoint the program hard-codes
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import sys
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Final

from conformance.errors import UsageError
from conformance.spec import BY_ID, ROLES

# --- the vocabulary ------------------------------------------------------------------------

COMMON_PLACEHOLDERS: Final = ("python", "here", "tmp")
"""Placeholders every role may use: the interpreter, the manifest's folder, a fresh temp dir."""

ENDPOINT_KEYS: Final = ("endpoint", "frontend", "backend")
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
    {
        "watcher-pub": (*COMMON_PLACEHOLDERS, "endpoint", "file"),
        "watcher-sub": (*COMMON_PLACEHOLDERS, "endpoint"),
        "filer-rep": (*COMMON_PLACEHOLDERS, "endpoint", "root"),
        "filer-req": (*COMMON_PLACEHOLDERS, "endpoint", "file"),
        "filer-req-loop": (*COMMON_PLACEHOLDERS, "endpoint", "file", "count"),
        "broker": (*COMMON_PLACEHOLDERS, "frontend", "backend"),
        "filer-rep-cluster": (*COMMON_PLACEHOLDERS, "endpoint", "backend", "workers", "root"),
    }
)
"""The placeholders the harness gives each role: a role's templates may use only these."""

REQUIRED_ENDPOINTS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "watcher-pub": ("endpoint",),
        "watcher-sub": ("endpoint",),
        "filer-rep": ("endpoint",),
        "filer-req": ("endpoint",),
        "filer-req-loop": ("endpoint",),
        "broker": ("frontend", "backend"),
        "filer-rep-cluster": ("endpoint",),
    }
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

_EXAMPLE_ARGV = '["{python}", "-m", "my_impl.filer_rep", "--bind", "{endpoint}"]'
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ENV_NAME = re.compile(r"[^=\0]+")


def key_path(*parts: str | int) -> str:
    """A TOML key path as a user would write it: ``roles.filer-rep.argv[3]``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if _BARE_KEY.fullmatch(part) else json.dumps(part, ensure_ascii=False)
            text += f".{name}" if text else name
    return text


def _ph(name: str) -> str:
    return "{" + name + "}"


def _phs(names: Iterable[str]) -> str:
    return ", ".join(_ph(name) for name in names)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"Did you mean {close[0]!r}? " if close else ""


def _kind(value: object) -> str:
    """How TOML would call the type of a parsed value, for error messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date/time"


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


class MissingValue(Exception):
    """A template needs a placeholder that the caller gave no value for: a harness bug."""

    def __init__(
        self,
        placeholder: str,
        *,
        role: str | None = None,
        key: str | None = None,
        given: Iterable[str] = (),
    ) -> None:
        self.placeholder = placeholder
        self.role = role
        self.key = key
        self.given = tuple(sorted(given))
        where = f" in {key}" if key else ""
        who = f" of role {role}" if role else ""
        message = (
            f"no value for {_ph(placeholder)}{where}{who}; "
            f"values were given for: {_phs(self.given) or 'nothing'}"
        )
        super().__init__(message)

    def __reduce__(self) -> tuple[type[MissingValue], tuple[str]]:
        return (type(self), (self.placeholder,))


# --- templates -----------------------------------------------------------------------------


class _BraceError(ValueError):
    """A template with a ``{`` or ``}`` that is neither a placeholder nor doubled."""


def _parse(template: str) -> list[tuple[bool, str]]:
    """Split a template into (is_placeholder, text) parts; ``{{`` and ``}}`` are literal braces."""
    parts: list[tuple[bool, str]] = []
    literal: list[str] = []
    i = 0
    while i < len(template):
        char = template[i]
        if char == "{":
            if template.startswith("{{", i):
                literal.append("{")
                i += 2
                continue
            close = template.find("}", i + 1)
            reopen = template.find("{", i + 1)
            if close == -1 or (reopen != -1 and reopen < close):
                raise _BraceError(f"the '{{' at character {i + 1} is never closed")
            if literal:
                parts.append((False, "".join(literal)))
                literal = []
            parts.append((True, template[i + 1 : close]))
            i = close + 1
        elif char == "}":
            if template.startswith("}}", i):
                literal.append("}")
                i += 2
                continue
            raise _BraceError(f"the '}}' at character {i + 1} closes nothing")
        else:
            literal.append(char)
            i += 1
    if literal:
        parts.append((False, "".join(literal)))
    return parts


def placeholders(template: str) -> frozenset[str]:
    """The placeholder names a template uses; ValueError if its braces are unbalanced."""
    return frozenset(text for is_placeholder, text in _parse(template) if is_placeholder)


def expand(template: str, values: Mapping[str, str]) -> str:
    """Replace each ``{name}`` with ``values[name]`` and ``{{``/``}}`` with ``{``/``}``.

    Pure: no defaults, no environment. Raises MissingValue for a name without a value and
    ValueError for unbalanced braces (load_manifest has rejected those already).
    """
    out: list[str] = []
    for is_placeholder, text in _parse(template):
        if not is_placeholder:
            out.append(text)
        elif text in values:
            out.append(values[text])
        else:
            raise MissingValue(text, given=values)
    return "".join(out)


def resolve_endpoint(endpoint: str, cwd: Path) -> str:
    """The endpoint as seen from anywhere: a relative ipc path is made absolute from CWD.

    Programs that hard-code ``ipc://filer-dealer.ipc`` bind it in their own working
    directory; the harness, which runs elsewhere, connects to the resolved path.
    """
    prefix = "ipc://"
    if endpoint.startswith(prefix):
        path = endpoint[len(prefix) :]
        if path and not path.startswith("@") and not os.path.isabs(path):
            return prefix + str(cwd / path)
    return endpoint


# --- the model -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Invocation:
    """One process to start: its argv, its working directory, and extra environment variables.

    ``env`` holds only the manifest's variables; the caller adds them to its own environment.
    """

    argv: tuple[str, ...]
    cwd: Path
    env: dict[str, str]


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class RoleSpec:
    """How to start one role: templates as written in the manifest, validated, not expanded."""

    role: str
    argv: tuple[str, ...]
    ready: re.Pattern[str] | None = None
    cwd: str | None = None
    env: Mapping[str, str] = field(default_factory=_empty)
    setup: tuple[tuple[str, ...], ...] = ()
    fixed: Mapping[str, str] = field(default_factory=_empty)
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
    expected_failures: Mapping[str, str] = field(default_factory=_empty)
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


# --- loading and validation ----------------------------------------------------------------


class _Missing:
    """Marks a key that is absent, as distinct from any TOML value."""


_MISSING: Final = _Missing()


class _Checker:
    """Collects every problem of one manifest, so the user can fix them all in one go."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, key: str, message: str) -> None:
        self.problems.append(Problem(key, message))

    # generic pieces

    def text(self, value: object, key: str, example: str) -> str | None:
        """A string without NUL bytes (they cannot go into argv or the environment)."""
        if not isinstance(value, str):
            self.fail(key, f"is {_kind(value)}, but must be a string, e.g. {example}")
            return None
        if "\0" in value:
            self.fail(key, "contains a NUL character, which no argv or environment can carry")
            return None
        return value

    def template(self, value: str, key: str, allowed: Sequence[str], owner: str) -> bool:
        """Check the braces and placeholder names of a template; True if it is usable."""
        try:
            names = placeholders(value)
        except _BraceError as error:
            self.fail(
                key, f"{value!r}: {error}. Write {{{{ and }}}} for a literal brace, or fix the name"
            )
            return False
        good = True
        for name in sorted(names - set(allowed)):
            good = False
            if owner == "setup":
                self.fail(
                    key,
                    f"{_ph(name)} cannot be used in a setup command: setup runs once per "
                    f"manifest, from {{here}}, before any case. Only {_phs(SETUP_PLACEHOLDERS)} "
                    "are known there",
                )
            elif name in PLACEHOLDERS:
                self.fail(
                    key,
                    f"{_ph(name)} is not given to {owner}; the placeholders of {owner} are "
                    f"{_phs(allowed)}",
                )
            else:
                shown = repr(_ph(name)) if name.strip() else repr(_ph(name)) + " names nothing"
                self.fail(
                    key,
                    f"{shown} is not a placeholder. {_did_you_mean(name.strip(), allowed)}"
                    f"The placeholders of {owner} are {_phs(allowed)}; "
                    "write {{ and }} for literal braces",
                )
        return good

    def commands(self, value: object, key_parts: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        """A ``setup`` value: a list of commands, each a non-empty list of strings."""
        key = key_path(*key_parts)
        example = 'setup = [["npm", "ci"], ["make"]]'
        if not isinstance(value, list):
            self.fail(key, f"is {_kind(value)}, but must be a list of commands, e.g. {example}")
            return ()
        if value and all(isinstance(word, str) for word in value):
            self.fail(
                key,
                "is one command, but must be a list of commands (each a list of words): "
                f"write {key_parts[-1]} = [{json.dumps(value, ensure_ascii=False)}]",
            )
            return ()
        commands: list[tuple[str, ...]] = []
        for index, command in enumerate(value):
            ckey = key_path(*key_parts, index)
            if isinstance(command, str):
                self.fail(
                    ckey,
                    f"is a string, but each command is a list of words (no shell), e.g. {example}",
                )
                continue
            if not isinstance(command, list) or not command:
                what = "an empty list" if isinstance(command, list) else _kind(command)
                self.fail(ckey, f"is {what}, but each command is a non-empty list of strings")
                continue
            words: list[str] = []
            for windex, word in enumerate(command):
                wkey = key_path(*key_parts, index, windex)
                text = self.text(word, wkey, '"npm"')
                if text is not None and self.template(text, wkey, SETUP_PLACEHOLDERS, "setup"):
                    words.append(text)
            if len(words) == len(command):
                commands.append(tuple(words))
        return tuple(commands)

    def patterns(self, value: object, key: str) -> tuple[str, ...]:
        """``setup_inputs``: a list of non-empty glob patterns, ``{python}``/``{here}`` allowed."""
        example = 'setup_inputs = ["src/**/*.c", "Makefile"]'
        if not isinstance(value, list):
            self.fail(
                key, f"is {_kind(value)}, but must be a list of glob patterns, e.g. {example}"
            )
            return ()
        patterns: list[str] = []
        for index, pattern in enumerate(value):
            pkey = key_path(key, index)
            text = self.text(pattern, pkey, '"src/*.c"')
            if text is None:
                continue
            if not text:
                self.fail(pkey, f"is empty, but must be a glob pattern, e.g. {example}")
            elif self.template(text, pkey, SETUP_PLACEHOLDERS, "setup"):
                patterns.append(text)
        return tuple(patterns)

    def endpoint(self, value: object, key: str) -> str | None:
        """A fixed endpoint: tcp on loopback with a port, or ipc with a path; no placeholders."""
        example = '"tcp://127.0.0.1:5433" or "ipc://filer-dealer.ipc"'
        text = self.text(value, key, example)
        if text is None:
            return None
        if "{" in text or "}" in text:
            self.fail(
                key,
                f"{text!r}: a fixed endpoint is the literal one the program hard-codes, "
                f"without placeholders, e.g. {example}",
            )
            return None
        if text.startswith("ipc://"):
            if len(text) == len("ipc://"):
                self.fail(key, f"{text!r} has no path: write e.g. ipc://filer-dealer.ipc")
                return None
            return text
        if not text.startswith("tcp://"):
            self.fail(
                key, f"{text!r} is neither tcp:// nor ipc://; the suite uses only those: {example}"
            )
            return None
        host, colon, port = text[len("tcp://") :].rpartition(":")
        if not colon:
            self.fail(key, f"{text!r} has no port: write e.g. tcp://127.0.0.1:5433")
            return None
        if host not in ("127.0.0.1", "localhost"):
            hint = (
                "even if the program binds a wildcard, the harness connects on loopback"
                if host in ("*", "0.0.0.0")
                else "this suite only runs on loopback"
            )
            self.fail(
                key,
                f"{text!r} is not on 127.0.0.1 or localhost ({hint}): "
                f"write tcp://127.0.0.1:{port or 'PORT'}",
            )
            return None
        if not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
            self.fail(
                key,
                f"{text!r}: the port {port!r} is not a number from 1 to 65535; the harness "
                "connects to this endpoint, so it must be the concrete port the program uses",
            )
            return None
        return text

    # sections

    def name(self, value: object) -> str:
        if isinstance(value, _Missing):
            self.fail("name", 'is missing: name the implementation, e.g. name = "my-go-demos"')
            return ""
        text = self.text(value, "name", 'name = "my-go-demos"')
        if text is not None and not text.strip():
            self.fail("name", 'is empty: name the implementation, e.g. name = "my-go-demos"')
        return text or ""

    def expected_failures(self, value: object) -> Mapping[str, str]:
        example = 'expected_failures = {"REQREP-7" = "our loop sends requests concurrently"}'
        if not isinstance(value, dict):
            self.fail(
                "expected_failures",
                f"is {_kind(value)}, but must be a table of id = reason, e.g. {example}",
            )
            return _empty()
        result: dict[str, str] = {}
        for requirement, reason in value.items():
            key = key_path("expected_failures", requirement)
            ident, _, role = requirement.partition(":")
            if ident not in BY_ID:
                self.fail(
                    key,
                    f"{ident!r} is not a requirement id. "
                    f"{_did_you_mean(ident, BY_ID)}"
                    f"The ids are {', '.join(BY_ID)} (SPEC.md)",
                )
            elif role and role not in BY_ID[ident].roles:
                self.fail(
                    key,
                    f"{ident} does not apply to the role {role!r}: write "
                    f"{ident!r} for all its roles, or {ident}:<role> with one of "
                    f"{', '.join(BY_ID[ident].roles)}",
                )
            elif not isinstance(reason, str) or not reason.strip():
                what = "an empty string" if isinstance(reason, str) else _kind(reason)
                self.fail(
                    key,
                    f"is {what}, but must say why the failure is expected, e.g. {example}",
                )
            else:
                result[requirement] = reason
        return MappingProxyType(result)

    def roles(self, value: object) -> Mapping[str, RoleSpec]:
        if isinstance(value, _Missing):
            self.fail(
                "roles",
                "is missing: declare at least one role, e.g. [roles.filer-rep] with "
                f"argv = {_EXAMPLE_ARGV}. The roles are {', '.join(ROLES)}",
            )
            return MappingProxyType({})
        if not isinstance(value, dict):
            self.fail("roles", f"is {_kind(value)}, but must be a table: write [roles.filer-rep]")
            return MappingProxyType({})
        if not value:
            self.fail(
                "roles",
                f"declares no role: add at least one, e.g. [roles.filer-rep] with "
                f"argv = {_EXAMPLE_ARGV}. The roles are {', '.join(ROLES)}",
            )
        for role in value:
            if role not in ROLES:
                self.fail(
                    key_path("roles", role),
                    f"{role!r} is not a role. {_did_you_mean(role, ROLES)}"
                    f"The roles are {', '.join(ROLES)}",
                )
        specs = {role: self.role(role, value[role]) for role in ROLES if role in value}
        return MappingProxyType({role: spec for role, spec in specs.items() if spec is not None})

    def role(self, role: str, table: object) -> RoleSpec | None:
        here = ("roles", role)
        rkey = key_path(*here)
        if not isinstance(table, dict):
            self.fail(
                rkey,
                f"is {_kind(table)}, but must be a table: write [{rkey}] "
                f"followed by argv = {_EXAMPLE_ARGV}",
            )
            return None
        allowed_placeholders = ROLE_PLACEHOLDERS[role]
        endpoint_keys = tuple(name for name in ENDPOINT_KEYS if name in allowed_placeholders)
        known_keys = (*ROLE_KEYS, *endpoint_keys)
        for key in table:
            if key in known_keys:
                continue
            if key in ENDPOINT_KEYS:
                self.fail(
                    key_path(*here, key),
                    f"{role} has no {key}: its endpoints are {', '.join(endpoint_keys)}",
                )
            else:
                self.fail(
                    key_path(*here, key),
                    f"is not a key of a role. {_did_you_mean(key, known_keys)}"
                    f"The keys of {role} are {', '.join(known_keys)}",
                )
        before = len(self.problems)
        argv = self.argv(role, table.get("argv", _MISSING))
        ready = self.ready(role, table.get("ready", _MISSING))
        cwd = self.cwd(role, table.get("cwd", _MISSING))
        env = self.env(role, table.get("env", _MISSING))
        setup = self.commands(table["setup"], (*here, "setup")) if "setup" in table else ()
        fixed: dict[str, str] = {}
        for name in endpoint_keys:
            if name in table:
                endpoint = self.endpoint(table[name], key_path(*here, name))
                if endpoint is not None:
                    fixed[name] = endpoint
        if len(self.problems) > before or argv is None:
            return None
        spec = RoleSpec(
            role=role,
            argv=argv,
            ready=ready,
            cwd=cwd,
            env=MappingProxyType(env),
            setup=setup,
            fixed=MappingProxyType(fixed),
        )
        used = spec.placeholders_used()
        for needed in REQUIRED_ENDPOINTS[role]:
            if needed not in used and needed not in fixed:
                self.fail(
                    rkey,
                    f"the harness cannot tell where {role}'s {needed} is: put {_ph(needed)} in "
                    f"argv (or env), or, if the program hard-codes it, declare it, e.g. "
                    f'{needed} = "tcp://127.0.0.1:5433"',
                )
        if cwd is None and argv[0] and not placeholders(argv[0]):
            program = argv[0]
            if "/" in program and not os.path.isabs(program):
                self.fail(
                    key_path(*here, "argv", 0),
                    f"{program!r} is relative to the process's working directory, which is a "
                    f"fresh {{tmp}} by default: write {('{here}/' + program)!r} for a program "
                    "next to the manifest",
                )
        return spec

    def argv(self, role: str, value: object) -> tuple[str, ...] | None:
        key = key_path("roles", role, "argv")
        if isinstance(value, _Missing):
            self.fail(key, f"is missing: say how to start {role}, e.g. argv = {_EXAMPLE_ARGV}")
            return None
        if isinstance(value, str):
            self.fail(
                key,
                f"is a string, but must be a list with one string per argument (it is not "
                f"split into words), e.g. argv = {_EXAMPLE_ARGV}",
            )
            return None
        if not isinstance(value, list) or not value:
            what = "an empty list" if isinstance(value, list) else _kind(value)
            self.fail(
                key,
                f"is {what}, but must be a non-empty list of strings, e.g. argv = {_EXAMPLE_ARGV}",
            )
            return None
        words: list[str] = []
        for index, word in enumerate(value):
            wkey = key_path("roles", role, "argv", index)
            text = self.text(word, wkey, '"--bind"')
            if text is not None and self.template(text, wkey, ROLE_PLACEHOLDERS[role], role):
                words.append(text)
        if len(words) != len(value):
            return None
        if not words[0]:
            self.fail(key_path("roles", role, "argv", 0), 'is empty: name the program, e.g. "node"')
            return None
        return tuple(words)

    def ready(self, role: str, value: object) -> re.Pattern[str] | None:
        if isinstance(value, _Missing):
            return None
        key = key_path("roles", role, "ready")
        example = 'ready = "Listening for zmq requesters"'
        text = self.text(value, key, example)
        if text is None:
            return None
        if not text:
            self.fail(
                key,
                "is empty, which would match any line: give a regex for the line the program "
                "prints once it is ready, or leave ready out",
            )
            return None
        try:
            return re.compile(text)
        except re.error as error:
            self.fail(
                key,
                f"{text!r} is not a valid regular expression ({error}); escape special "
                "characters with a backslash, e.g. \\( or \\.",
            )
            return None

    def cwd(self, role: str, value: object) -> str | None:
        if isinstance(value, _Missing):
            return None
        key = key_path("roles", role, "cwd")
        text = self.text(value, key, 'cwd = "{here}"')
        if text is None:
            return None
        if not text:
            self.fail(key, 'is empty: leave cwd out for a fresh {tmp}, or write cwd = "{here}"')
            return None
        if not self.template(text, key, ROLE_PLACEHOLDERS[role], role):
            return None
        return text

    def env(self, role: str, value: object) -> dict[str, str]:
        if isinstance(value, _Missing):
            return {}
        key = key_path("roles", role, "env")
        example = 'env = {NODE_ENV = "production", DATA = "{here}/data"}'
        if not isinstance(value, dict):
            self.fail(key, f"is {_kind(value)}, but must be a table of strings, e.g. {example}")
            return {}
        env: dict[str, str] = {}
        for name, template in value.items():
            nkey = key_path("roles", role, "env", name)
            if not _ENV_NAME.fullmatch(name):
                self.fail(nkey, "is not a usable variable name: it must be non-empty, without '='")
                continue
            text = self.text(template, nkey, example)
            if text is not None and self.template(text, nkey, ROLE_PLACEHOLDERS[role], role):
                env[name] = text
        return env


def _read(path: Path) -> tuple[bytes, dict[str, object]]:
    """The file's bytes and its TOML document, or ManifestError saying why not."""

    def unusable(message: str) -> ManifestError:
        return ManifestError(path, [Problem("", message)])

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise unusable(
            "no such file: pass the path of a manifest TOML file, "
            "e.g. conformance/manifests/reference.toml"
        ) from None
    except IsADirectoryError:
        raise unusable("is a directory: pass the manifest .toml file inside it") from None
    except OSError as error:
        raise unusable(f"cannot be read: {error.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise unusable(f"is not UTF-8 (byte {error.start}): TOML files must be UTF-8") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:  # its message ends with "(at line L, column C)"
        raise unusable(f"is not valid TOML: {error} (see https://toml.io)") from None
    return data, document


def load_manifest(path: str | os.PathLike[str]) -> Manifest:
    """Read and validate a manifest; ManifestError lists everything wrong with it."""
    file = Path(path).resolve()
    data, document = _read(file)
    checker = _Checker()
    for key in document:
        if key in TOP_LEVEL_KEYS:
            continue
        if key in ROLES:
            hint = f"{key} is a role: declare it as [roles.{key}]"
        else:
            hint = (
                f"{_did_you_mean(key, TOP_LEVEL_KEYS)}"
                f"The top-level keys are {', '.join(TOP_LEVEL_KEYS)}"
            )
        checker.fail(key_path(key), f"is not a manifest key. {hint}")
    name = checker.name(document.get("name", _MISSING))
    description = ""
    if "description" in document:
        description = checker.text(document["description"], "description", '"Go demos"') or ""
    setup = checker.commands(document["setup"], ("setup",)) if "setup" in document else ()
    setup_inputs: tuple[str, ...] = ()
    if "setup_inputs" in document:
        setup_inputs = checker.patterns(document["setup_inputs"], "setup_inputs")
    expected: Mapping[str, str] = _empty()
    if "expected_failures" in document:
        expected = checker.expected_failures(document["expected_failures"])
    roles = checker.roles(document.get("roles", _MISSING))
    if "setup_inputs" in document and not setup and not any(r.setup for r in roles.values()):
        checker.fail(
            "setup_inputs",
            "is given, but there is no setup command to re-run when they change: "
            'add setup = [["make"]] (or a role\'s setup), or remove setup_inputs',
        )
    if checker.problems:
        raise ManifestError(file, checker.problems)
    return Manifest(
        name=name,
        path=file,
        here=file.parent,
        sha256=hashlib.sha256(data).hexdigest(),
        roles=roles,
        setup=setup,
        setup_inputs=setup_inputs,
        expected_failures=expected,
        description=description,
    )
