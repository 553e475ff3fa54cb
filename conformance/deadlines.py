"""Every deadline and pacing interval of the harness, in seconds: the one place they are set.

A deadline bounds a wait for an event (``World.deadline`` turns a missed one into a
``TimedOut`` event and a failure); the few intervals pace an action (a probe, a retry, a
watch for stray messages). SPEC.md quotes them, and ``tests/test_spec_document.py`` checks
that it quotes these values; checkers build their messages from them. Pure data, so that
checkers may import it.
"""

from __future__ import annotations

# --- every case -------------------------------------------------------------------------------

CASE_TIMEOUT = 60.0
"""A whole example, process start and teardown included (Property.timeout)."""
RESTART_CASE_TIMEOUT = 120.0
"""CLUSTER-3's whole example: it waits for restarts."""
READY_TIMEOUT = 15.0
"""A ready line, from the start of the process."""
REPLY_TIMEOUT = 10.0
"""A reply to a request (filers, the broker, the cluster), or a request at the harness."""

# --- LIFE-* -----------------------------------------------------------------------------------

CONNECT_TIMEOUT = 2.0
"""LIFE-1: a plain stream connection to an endpoint right after the ready line."""
STOP_TIMEOUT = 5.0
"""LIFE-2 (normative): a server's exit after SIGTERM or SIGINT; CLUSTER-4/5 wait as long for
the master's."""

# --- PUBSUB-* ---------------------------------------------------------------------------------

DELIVERY_TIMEOUT = 5.0
"""PUBSUB-2: a change message at each subscriber."""
PROBE_INTERVAL = 0.25
PROBE_TIMEOUT = 15.0
"""PUBSUB-2, LIFE-1: seconds between probes, and for a first message at each subscriber."""
PROBE_DRAIN = 0.3
"""PUBSUB-2: how long late duplicates of the probes are taken after the probe."""
SUBSCRIPTION_TIMEOUT = 10.0
"""PUBSUB-3 to -5: the subscriber's subscription at the harness's publisher."""
LINES_TIMEOUT = 5.0
"""PUBSUB-3 to -5: the subscriber's lines for a batch of messages."""
REBIND_TIMEOUT = 5.0
REBIND_INTERVAL = 0.05
"""PUBSUB-4: how long, and how often, the harness retries binding its publisher again."""
TIMESTAMP_SLACK_MS = 5_000
"""Milliseconds a message's timestamp may lie before the case began or after its budget."""

# --- REQREP-* ---------------------------------------------------------------------------------

STRAY_WATCH = 0.1
"""REQREP-1, REQREP-4: each client is watched this long after its last reply, for a second
reply to a request."""
REQUESTER_EXIT_TIMEOUT = 10.0
"""REQREP-5 to -7: a requester's exit after its last reply."""
SENDING_LINE_TIMEOUT = 10.0
"""REQREP-5 to -7: the Sending line of a request once it arrived (REQREP-6: from the start)."""
LATE_BIND = 2.5
"""REQREP-6's fixed case: the further delay before the harness binds."""
LOCKSTEP_WINDOW = 0.05
"""REQREP-7: the harness watches this long for a second request before it answers the first.
Not a synchronisation: a correct requester never sends early, so the window can only miss a
broken one, never fail a correct one."""

# --- BROKER-* ---------------------------------------------------------------------------------

LATE_WORKER = 0.5
"""BROKER-1's late-worker cases: how long after the client's first burst the worker connects,
so that the burst reaches the broker while no worker is there (BROKER-1.c). Not a
synchronisation: it is the scenario; a correct broker holds the burst however long."""
EXTRA_POLL = 0.2
"""BROKER-2: each client is watched this long after its last reply, for replies it should
not get."""

# --- CLUSTER-* --------------------------------------------------------------------------------

ONLINE_TIMEOUT = 15.0
"""All the workers of a new cluster online."""
RESTART_TIMEOUT = 10.0
"""CLUSTER-3: the master's report of a killed worker's exit, and its replacement."""
WARMUP_TIMEOUT = 10.0
"""CLUSTER-2, CLUSTER-6: every announced worker answers once."""
TRY_TIMEOUT = 2.5
TRIES = 5
"""CLUSTER-3's Lazy Pirate client: seconds per try, and tries per request."""
GONE_AFTER_SIGTERM = 2.0
"""CLUSTER-4 (normative): no worker runs this long after the master's exit."""
GONE_AFTER_SIGKILL = 5.0
"""CLUSTER-5 (normative): the workers of a killed master exit on their own within this."""
GONE_POLL = 0.02
"""How often /proc is read while the harness waits for processes to go (no event to await)."""
BLOCKED_WINDOW = 3.0
"""CLUSTER-3 (LIFECYCLE-5.i): from its first kill, every process the master starts this long
is SIGKILLed as soon as the harness sees it: a worker that cannot start."""
BLOCKED_POLL = 0.02
"""How often the master's processes are listed in that window (a fork is no event to await)."""
STALL_WINDOW = 10.0
"""CLUSTER-6: the stopped worker stays stopped at most this long, for the others' replies."""
STOPPED_TIMEOUT = 2.0
"""CLUSTER-6: a worker sent SIGSTOP shows as stopped in /proc."""

# --- interop ----------------------------------------------------------------------------------

INTEROP_EXIT_TIMEOUT = 15.0
"""A client's exit, its server started by another implementation."""
INTEROP_LINE_TIMEOUT = 5.0
"""The subscriber's line for each change."""
INTEROP_PROBE_TIMEOUT = 15.0
INTEROP_PROBE_INTERVAL = 0.3
"""How long the harness changes the file, and how often, until the subscriber prints."""

# --- the harness's own waits ------------------------------------------------------------------

GRACE_SECONDS = 1.0
"""Teardown: after SIGTERM to a group, how long before SIGKILL."""
KILL_SECONDS = 5.0
"""Teardown: how long a group may take to vanish after SIGKILL (only a stuck kernel call
is slower)."""
PIPE_DRAIN_SECONDS = 1.0
"""After a process exits, how long to wait for EOF on its pipes (a survivor may hold them)."""
PROCESS_POLL = 0.01
"""How often teardown looks whether a group is gone."""
STDERR_PUBLISH_SECONDS = 0.05
"""How often a growing stderr is copied into the transcript (decoding it costs)."""
FIXED_ENDPOINT_LOCK_TIMEOUT = 300.0
"""How long a case waits for another that uses the same hard-coded endpoint."""
LOCK_POLL = 0.05
"""How often a case tries that lock again."""
SETUP_TIMEOUT = 600.0
"""All of a manifest's setup commands together."""
