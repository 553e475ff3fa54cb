"""Mutant: filer-rep-cluster starts each worker in a session of its own. Should fail CLUSTER-1.

SPEC.md 5: every process of an implementation MUST stay in the process group
the harness started it in, so that the harness's cleanup reaches it.
"""

from __future__ import annotations

import functools
import subprocess
import types

from reference import filer_rep_cluster

filer_rep_cluster.subprocess = types.SimpleNamespace(  # type: ignore[assignment]
    Popen=functools.partial(subprocess.Popen, start_new_session=True),  # BUG: setsid()
    PIPE=subprocess.PIPE,
    TimeoutExpired=subprocess.TimeoutExpired,
)

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
