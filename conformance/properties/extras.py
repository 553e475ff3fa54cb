"""Keys a receiver does not know, which the harness adds to what it sends (SPEC.md 3.1).

A receiver MUST ignore keys it does not know, whatever they hold: nested
objects and arrays, and numbers no parser can hold exactly (``1e400``, an
integer beyond 64 bits). The harness keeps such values as JSON text, never as
parsed values (Python would turn ``1e400`` into ``inf``), and splices them
into the object it sends; :func:`with_extras` does the splicing.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

HUGE_NUMBERS = (
    "1e400",
    "-1E+400",
    "1e-400",
    "18446744073709551616",
    "-9223372036854775809",
    "123456789012345678901234567890123456789",
    "0.1000000000000000000000000000000000000001",
    "-0",
)
"""Valid JSON numbers beyond a double or a 64-bit integer (and a negative zero)."""

EXAMPLE_EXTRAS = (
    '"size":1e400,"serial":18446744073709551616,'
    '"meta":{"tags":["a",{"deep":[-1E+400,null,true]}],"seq":-9223372036854775809}'
)
"""Unknown keys for the fixed cases: the numbers above, nested, so that every run sends them."""

_SCALARS = st.one_of(
    st.sampled_from(HUGE_NUMBERS),
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(json.dumps),
    st.text(max_size=8).map(json.dumps),
    st.sampled_from(["true", "false", "null"]),
)
_KEYS = st.text(max_size=8)


def _array(items: list[str]) -> str:
    return "[" + ",".join(items) + "]"


def _object(items: dict[str, str]) -> str:
    return "{" + ",".join(f"{json.dumps(key)}:{value}" for key, value in items.items()) + "}"


VALUES: st.SearchStrategy[str] = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(_array),
        st.dictionaries(_KEYS, inner, max_size=3).map(_object),
    ),
    max_leaves=8,
)
"""JSON texts of any value: scalars (huge numbers among them), arrays, objects."""


def extras(known: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Members ``"key":value,...`` (JSON text, without braces) whose keys are none of KNOWN;
    often none at all."""
    keys = _KEYS.filter(lambda key: key not in known)
    members = st.dictionaries(keys, VALUES, max_size=3).map(lambda items: _object(items)[1:-1])
    return st.one_of(st.just(""), members)


def with_extras(message: bytes, members: str) -> bytes:
    """MESSAGE, the JSON text of an object, with MEMBERS spliced in first (if any)."""
    if not members:
        return message
    head, brace, rest = message.partition(b"{")
    if brace != b"{":
        raise ValueError(f"not a JSON object: {message[:40]!r}")
    tail = rest.lstrip()
    separator = b"" if tail.startswith(b"}") else b","
    return head + b"{" + members.encode("utf-8") + separator + rest
