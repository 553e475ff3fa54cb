"""The template language of manifests: ``{placeholder}``, and ``{{``/``}}`` for literal braces.

Pure: a template and a mapping of values in, a string out. The harness knows which
placeholders each role may use (conformance.manifest.model); this module only parses and
expands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def braced(name: str) -> str:
    return "{" + name + "}"


def braced_list(names: Iterable[str]) -> str:
    return ", ".join(braced(name) for name in names)


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
            f"no value for {braced(placeholder)}{where}{who}; "
            f"values were given for: {braced_list(self.given) or 'nothing'}"
        )
        super().__init__(message)

    def __reduce__(self) -> tuple[type[MissingValue], tuple[str]]:
        return (type(self), (self.placeholder,))


class BraceError(ValueError):
    """A template with a ``{`` or ``}`` that is neither a placeholder nor doubled."""


def parse(template: str) -> list[tuple[bool, str]]:
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
                raise BraceError(f"the '{{' at character {i + 1} is never closed")
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
            raise BraceError(f"the '}}' at character {i + 1} closes nothing")
        else:
            literal.append(char)
            i += 1
    if literal:
        parts.append((False, "".join(literal)))
    return parts


def placeholders(template: str) -> frozenset[str]:
    """The placeholder names a template uses; ValueError if its braces are unbalanced."""
    return frozenset(text for is_placeholder, text in parse(template) if is_placeholder)


def expand(template: str, values: Mapping[str, str]) -> str:
    """Replace each ``{name}`` with ``values[name]`` and ``{{``/``}}`` with ``{``/``}``.

    Pure: no defaults, no environment. Raises MissingValue for a name without a value and
    ValueError for unbalanced braces (load_manifest has rejected those already).
    """
    out: list[str] = []
    for is_placeholder, text in parse(template):
        if not is_placeholder:
            out.append(text)
        elif text in values:
            out.append(values[text])
        else:
            raise MissingValue(text, given=values)
    return "".join(out)
