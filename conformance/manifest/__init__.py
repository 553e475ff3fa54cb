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

from conformance.manifest.model import (
    COMMON_PLACEHOLDERS,
    DEFAULT_CWD,
    ENDPOINT_KEYS,
    PLACEHOLDERS,
    REQUIRED_ENDPOINTS,
    ROLE_KEYS,
    ROLE_PLACEHOLDERS,
    SETUP_PLACEHOLDERS,
    TOP_LEVEL_KEYS,
    Invocation,
    Manifest,
    ManifestError,
    Problem,
    RoleSpec,
    key_path,
    resolve_endpoint,
)
from conformance.manifest.template import MissingValue, expand, placeholders
from conformance.manifest.validation import load_manifest

__all__ = [
    "COMMON_PLACEHOLDERS",
    "DEFAULT_CWD",
    "ENDPOINT_KEYS",
    "PLACEHOLDERS",
    "REQUIRED_ENDPOINTS",
    "ROLE_KEYS",
    "ROLE_PLACEHOLDERS",
    "SETUP_PLACEHOLDERS",
    "TOP_LEVEL_KEYS",
    "Invocation",
    "Manifest",
    "ManifestError",
    "MissingValue",
    "Problem",
    "RoleSpec",
    "expand",
    "key_path",
    "load_manifest",
    "placeholders",
    "resolve_endpoint",
]
