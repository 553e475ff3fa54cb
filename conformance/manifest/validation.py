"""Reading a manifest file and validating it, with errors that name the file, the key and the fix.

Every problem of a file is collected (:class:`_Checker`) and reported at once as one
:class:`~conformance.manifest.model.ManifestError`, so that a user fixes them all in one go.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Final

from conformance.endpoint import WILDCARDS, Endpoint, EndpointError
from conformance.manifest.model import (
    ENDPOINT_KEYS,
    ENV_NAME,
    EXAMPLE_ARGV,
    PLACEHOLDERS,
    REQUIRED_ENDPOINTS,
    ROLE_KEYS,
    ROLE_PLACEHOLDERS,
    SETUP_PLACEHOLDERS,
    TOP_LEVEL_KEYS,
    Manifest,
    ManifestError,
    Problem,
    RoleSpec,
    frozen_empty,
    key_path,
)
from conformance.manifest.template import BraceError, braced, braced_list, placeholders
from conformance.spec import BY_ID, ROLES


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
        except BraceError as error:
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
                    f"{braced(name)} cannot be used in a setup command: setup runs once per "
                    f"manifest, from {{here}}, before any case. Only {braced_list(SETUP_PLACEHOLDERS)} "
                    "are known there",
                )
            elif name in PLACEHOLDERS:
                self.fail(
                    key,
                    f"{braced(name)} is not given to {owner}; the placeholders of {owner} are "
                    f"{braced_list(allowed)}",
                )
            else:
                shown = (
                    repr(braced(name)) if name.strip() else repr(braced(name)) + " names nothing"
                )
                self.fail(
                    key,
                    f"{shown} is not a placeholder. {_did_you_mean(name.strip(), allowed)}"
                    f"The placeholders of {owner} are {braced_list(allowed)}; "
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
        try:
            endpoint = Endpoint.parse(text)
        except EndpointError as error:
            if text.startswith("tcp://") and ":" in text[len("tcp://") :]:
                self.fail(
                    key,
                    f"{error}; the harness connects to this endpoint, so it must be the "
                    "concrete port the program uses",
                )
            elif text.startswith(("tcp://", "ipc://")):
                self.fail(key, str(error))
            else:
                self.fail(key, f"{error}; the suite uses only those: {example}")
            return None
        if endpoint.transport == "tcp" and not endpoint.loopback:
            hint = (
                "even if the program binds a wildcard, the harness connects on loopback"
                if endpoint.host in WILDCARDS
                else "this suite only runs on loopback"
            )
            self.fail(
                key,
                f"{text!r} is not on 127.0.0.1 or localhost ({hint}): "
                f"write tcp://127.0.0.1:{endpoint.port}",
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
            return frozen_empty()
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
                f"argv = {EXAMPLE_ARGV}. The roles are {', '.join(ROLES)}",
            )
            return MappingProxyType({})
        if not isinstance(value, dict):
            self.fail("roles", f"is {_kind(value)}, but must be a table: write [roles.filer-rep]")
            return MappingProxyType({})
        if not value:
            self.fail(
                "roles",
                f"declares no role: add at least one, e.g. [roles.filer-rep] with "
                f"argv = {EXAMPLE_ARGV}. The roles are {', '.join(ROLES)}",
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
                f"followed by argv = {EXAMPLE_ARGV}",
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
                    f"the harness cannot tell where {role}'s {needed} is: put {braced(needed)} in "
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
            self.fail(key, f"is missing: say how to start {role}, e.g. argv = {EXAMPLE_ARGV}")
            return None
        if isinstance(value, str):
            self.fail(
                key,
                f"is a string, but must be a list with one string per argument (it is not "
                f"split into words), e.g. argv = {EXAMPLE_ARGV}",
            )
            return None
        if not isinstance(value, list) or not value:
            what = "an empty list" if isinstance(value, list) else _kind(value)
            self.fail(
                key,
                f"is {what}, but must be a non-empty list of strings, e.g. argv = {EXAMPLE_ARGV}",
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
            if not ENV_NAME.fullmatch(name):
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
    expected: Mapping[str, str] = frozen_empty()
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
