"""The catalogue of mutants: which role each breaks, which requirement must catch it, the bug.

Pure data, the single source for ``tests/test_mutants_caught.py`` and for a
report's kill table. Each name is a module ``tests.mutants.<name>`` (the
program, whose docstring's first line is ``Mutant: <bug>. Should fail <id>.``)
and a manifest ``tests/mutants/manifests/<name>.toml`` that lists only ROLE.
"""

from __future__ import annotations

from typing import NamedTuple


class Mutant(NamedTuple):
    name: str
    role: str
    requirement: str
    bug: str


MUTANTS: tuple[Mutant, ...] = (
    # LIFE
    Mutant(
        "filer_serves_late",
        "filer-rep",
        "LIFE-1",
        "filer-rep prints its ready line, then answers only after 30 s",
    ),
    Mutant(
        "pub_ready_before_bind",
        "watcher-pub",
        "LIFE-1",
        "watcher-pub prints its ready line before it binds",
    ),
    Mutant("broker_ignores_sigterm", "broker", "LIFE-2", "broker ignores SIGTERM"),
    Mutant(
        "filer_leaves_ipc",
        "filer-rep",
        "LIFE-2",
        "filer-rep exits at once on SIGTERM and leaves its ipc file",
    ),
    # LIFE: the red team of issue 8 part 3 (docs/clauses-draft.md)
    Mutant(
        "filer_sigint_dies",
        "filer-rep",
        "LIFE-2",
        "filer-rep handles SIGTERM but dies of SIGINT, leaving its ipc file",
    ),
    Mutant(
        "cluster_exits_nonzero",
        "filer-rep-cluster",
        "LIFE-2",
        "filer-rep-cluster ends its workers on SIGTERM, then exits 1",
    ),
    # PUBSUB
    Mutant(
        "pub_topic_frame",
        "watcher-pub",
        "PUBSUB-1",
        "watcher-pub sends each change as two frames, a topic and the JSON",
    ),
    Mutant(
        "pub_watches_file",
        "watcher-pub",
        "PUBSUB-2",
        "watcher-pub watches FILE, not its directory: renames over it go unseen",
    ),
    Mutant(
        "sub_topic_filter",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub subscribes to one JSON encoding's prefix, not to everything",
    ),
    Mutant(
        "sub_dedup",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub skips a message about the same file as the one before",
    ),
    Mutant(
        "sub_no_flush",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub prints its lines without flushing stdout",
    ),
    Mutant(
        "sub_no_reconnect",
        "watcher-sub",
        "PUBSUB-4",
        "watcher-sub has reconnection disabled (ZMQ_RECONNECT_IVL = -1)",
    ),
    Mutant(
        "sub_crashes_bad_message",
        "watcher-sub",
        "PUBSUB-5",
        "watcher-sub trusts every message and crashes on a bad one",
    ),
    # PUBSUB: the red team of issue 8 part 3 (docs/clauses-draft.md)
    Mutant(
        "pub_resolves_file",
        "watcher-pub",
        "PUBSUB-1",
        "watcher-pub puts FILE's resolved path in its messages",
    ),
    Mutant(
        "pub_nfc_file",
        "watcher-pub",
        "PUBSUB-1",
        "watcher-pub NFC-normalises FILE in its messages",
    ),
    Mutant(
        "pub_timestamp_seconds",
        "watcher-pub",
        "PUBSUB-1",
        "watcher-pub stamps its messages in seconds, not milliseconds",
    ),
    Mutant(
        "sub_nfc_file",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub NFC-normalises the file name it prints",
    ),
    Mutant(
        "sub_rejects_unknown_keys",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub skips change messages with a key it does not know",
    ),
    Mutant(
        "sub_prints_banner",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub prints a banner on stdout before its change lines",
    ),
    Mutant(
        "pub_default_filter",
        "watcher-pub",
        "PUBSUB-1",
        "watcher-pub drops editor files (*~, *.swp) as watchfiles' default filter does",
    ),
    # REQREP
    Mutant(
        "filer_wrong_pid",
        "filer-rep",
        "REQREP-1",
        "filer-rep reports its parent's pid instead of its own",
    ),
    Mutant(
        "filer_truncates",
        "filer-rep",
        "REQREP-1",
        "filer-rep reads only the first 64 bytes of a file",
    ),
    Mutant(
        "cluster_workers_ignore_root",
        "filer-rep-cluster",
        "REQREP-1",
        "filer-rep-cluster starts its workers without --root",
    ),
    Mutant(
        "filer_stale_cache",
        "filer-rep",
        "REQREP-2",
        "filer-rep caches file contents by path and serves stale text",
    ),
    Mutant(
        "filer_no_error_reply",
        "filer-rep",
        "REQREP-3",
        "filer-rep sends no reply at all to a bad request",
    ),
    Mutant(
        "filer_crashes_non_utf8",
        "filer-rep",
        "REQREP-3",
        "filer-rep crashes on a file that is not UTF-8",
    ),
    Mutant(
        "filer_lifo_batches",
        "filer-rep",
        "REQREP-4",
        "filer-rep answers queued requests in batches, pairing them LIFO",
    ),
    Mutant(
        "req_never_exits",
        "filer-req",
        "REQREP-5",
        "filer-req stays running after it printed the reply",
    ),
    Mutant(
        "req_prints_dict",
        "filer-req",
        "REQREP-5",
        "filer-req prints the parsed reply as a Python dict, not as received",
    ),
    Mutant(
        "req_preflight",
        "filer-req",
        "REQREP-6",
        "filer-req checks that a responder is up first, and exits 1 if not",
    ),
    Mutant(
        "req_gives_up",
        "filer-req",
        "REQREP-6",
        "filer-req gives up after 0.5 s when nothing answers",
    ),
    Mutant(
        "loop_dealer_burst",
        "filer-req-loop",
        "REQREP-7",
        "filer-req-loop, on a DEALER, sends all COUNT requests at once",
    ),
    Mutant(
        "loop_off_by_one",
        "filer-req-loop",
        "REQREP-7",
        "filer-req-loop sends COUNT - 1 requests (an off-by-one)",
    ),
    # REQREP: the red team of issue 8 part 3 (docs/clauses-draft.md)
    Mutant(
        "filer_pretty_reply",
        "filer-rep",
        "REQREP-1",
        "filer-rep indents its replies, so they hold raw LF bytes",
    ),
    Mutant(
        "filer_timestamp_seconds",
        "filer-rep",
        "REQREP-1",
        "filer-rep stamps its replies in seconds, not milliseconds",
    ),
    Mutant(
        "filer_crlf_big",
        "filer-rep",
        "REQREP-1",
        "filer-rep turns CR LF into LF in files over 64 KiB",
    ),
    Mutant(
        "filer_nfc_text",
        "filer-rep",
        "REQREP-1",
        "filer-rep NFC-normalises the text it serves",
    ),
    Mutant(
        "filer_rejects_noncharacters",
        "filer-rep",
        "REQREP-1",
        "filer-rep calls files with Unicode noncharacters not UTF-8",
    ),
    Mutant(
        "filer_small_limit",
        "filer-rep",
        "REQREP-1",
        "filer-rep refuses files over 8 MiB, not over 16 MiB",
    ),
    Mutant(
        "filer_hides_dotfiles",
        "filer-rep",
        "REQREP-1",
        "filer-rep refuses names that start with a dot",
    ),
    Mutant(
        "filer_nfc_path",
        "filer-rep",
        "REQREP-1",
        "filer-rep NFC-normalises the path before it opens the file",
    ),
    Mutant(
        "filer_strips_path",
        "filer-rep",
        "REQREP-1",
        "filer-rep strips white space around the path it is asked for",
    ),
    Mutant(
        "filer_ascii_requests",
        "filer-rep",
        "REQREP-1",
        "filer-rep refuses requests that hold raw non-ASCII bytes",
    ),
    Mutant(
        "filer_lexical_guard",
        "filer-rep",
        "REQREP-1",
        "filer-rep refuses a path whose .. climbs above the root, even one that comes back",
    ),
    Mutant(
        "filer_rejects_unknown_keys",
        "filer-rep",
        "REQREP-1",
        "filer-rep refuses a request with a key besides path",
    ),
    Mutant(
        "cluster_duplicates_replies",
        "filer-rep-cluster",
        "REQREP-1",
        "filer-rep-cluster sends every reply to its client twice",
    ),
    Mutant(
        "filer_error_pid_parent",
        "filer-rep",
        "REQREP-3",
        "filer-rep names its parent's pid in error replies",
    ),
    Mutant(
        "filer_encode_fails",
        "filer-rep",
        "REQREP-3",
        "filer-rep crashes when a reply holds a lone surrogate",
    ),
    Mutant(
        "filer_wtf8_reply",
        "filer-rep",
        "REQREP-3",
        "filer-rep sends a lone surrogate as 3 bytes, not as a JSON escape",
    ),
    Mutant(
        "filer_utf8_head",
        "filer-rep",
        "REQREP-3",
        "filer-rep checks only a file's first 4 KiB for valid UTF-8",
    ),
    Mutant(
        "filer_beyond_unicode",
        "filer-rep",
        "REQREP-3",
        "filer-rep takes 4-byte sequences above U+10FFFF for UTF-8",
    ),
    Mutant(
        "filer_exists_before_forbidden",
        "filer-rep",
        "REQREP-3",
        "filer-rep answers not_found for a missing path outside the root",
    ),
    Mutant(
        "cluster_one_at_a_time",
        "filer-rep-cluster",
        "REQREP-4",
        "filer-rep-cluster forwards one request at a time and waits for its reply",
    ),
    Mutant(
        "req_basename",
        "filer-req",
        "REQREP-5",
        "filer-req asks for FILE's last component only",
    ),
    Mutant(
        "req_reencodes",
        "filer-req",
        "REQREP-5",
        "filer-req prints the reply re-encoded by its JSON library",
    ),
    Mutant(
        "req_escapes_separators",
        "filer-req",
        "REQREP-5",
        "filer-req escapes U+2028 and U+2029 in the reply it prints",
    ),
    Mutant(
        "req_no_flush",
        "filer-req",
        "REQREP-6",
        "filer-req prints its lines without flushing stdout",
    ),
    Mutant(
        "filer_rejects_big_numbers",
        "filer-rep",
        "REQREP-1",
        "filer-rep fails a request holding a number no int64 or double can hold",
    ),
    Mutant(
        "filer_pathlib_resolve",
        "filer-rep",
        "REQREP-3",
        "filer-rep resolves with Python's Path.resolve(), which serves loop/../good.txt",
    ),
    Mutant(
        "filer_lexical_dotdot",
        "filer-rep",
        "REQREP-3",
        "filer-rep takes .. lexically, before symlinks, for a path the walk finds outside",
    ),
    Mutant(
        "filer_exists_first",
        "filer-rep",
        "REQREP-3",
        "filer-rep answers not_found for a missing path before it checks the root",
    ),
    Mutant(
        "req_chokes_on_big_numbers",
        "filer-req",
        "REQREP-5",
        "filer-req fails on a reply holding a number no int64 or double can hold",
    ),
    Mutant(
        "filer_nesting_crashes",
        "filer-rep",
        "REQREP-3",
        "filer-rep crashes on a request nested deeper than its parser allows",
    ),
    # BROKER
    Mutant(
        "broker_drops_last_frame",
        "broker",
        "BROKER-1",
        "broker drops the last frame of every multipart message",
    ),
    Mutant("broker_drops_empty_frames", "broker", "BROKER-1", "broker drops empty frames"),
    Mutant(
        "broker_reply_to_last_client",
        "broker",
        "BROKER-2",
        "broker sends each reply to the client that sent the latest request",
    ),
    Mutant("broker_duplicates_replies", "broker", "BROKER-2", "broker delivers every reply twice"),
    # CLUSTER
    Mutant(
        "cluster_reports_master_pid",
        "filer-rep-cluster",
        "CLUSTER-1",
        "filer-rep-cluster prints the master's pid in its online lines",
    ),
    Mutant(
        "cluster_default_backend",
        "filer-rep-cluster",
        "CLUSTER-2",
        "filer-rep-cluster connects only its first worker to --backend",
    ),
    Mutant(
        "cluster_no_restart",
        "filer-rep-cluster",
        "CLUSTER-3",
        "filer-rep-cluster reports a dead worker but never starts another",
    ),
    Mutant(
        "cluster_sigterm_leaves_workers",
        "filer-rep-cluster",
        "CLUSTER-4",
        "filer-rep-cluster exits on SIGTERM without stopping its workers",
    ),
    Mutant(
        "cluster_orphans",
        "filer-rep-cluster",
        "CLUSTER-5",
        "filer-rep-cluster workers do not notice that the master died",
    ),
    # CLUSTER: the red team of issue 8 part 3 (docs/clauses-draft.md)
    Mutant(
        "cluster_workers_setsid",
        "filer-rep-cluster",
        "CLUSTER-1",
        "filer-rep-cluster starts each worker in a session of its own",
    ),
)
"""Every mutant the suite is expected to catch, in SPEC.md order of their requirements."""

MISSED: dict[str, str] = {
    # found by the red team of issue 8 part 3; each fix is proposed in docs/clauses-draft.md
    "cluster_one_at_a_time": "no requirement stalls one worker while others serve (SIGSTOP)",
    "cluster_workers_setsid": "CLUSTER-1 accepts a descendant of the master in another group",
}
"""Mutants of MUTANTS that the suite does not catch yet: findings about the suite, each with
why the property misses it. The test expects them to pass (strict xfail), so that fixing the
property shows up as an XPASS and the entry here must go."""

NOT_CATCHABLE: tuple[tuple[Mutant, str], ...] = ()
"""Mutants the harness cannot catch by design, with why; not in MUTANTS and not run."""

CONTROLS: tuple[tuple[str, str, str], ...] = (
    ("pyproxy", "broker", "BROKER-1"),
    ("pyproxy", "broker", "BROKER-2"),
    ("sub_prefix_then_all", "watcher-sub", "PUBSUB-3"),
    ("cluster_exits_nonzero", "filer-rep-cluster", "CLUSTER-4"),
)
"""(manifest, role, requirement) of programs that must pass that requirement: bug-free ones (the
Python-loop broker that the broker mutants break, tests.mutants._pyproxy; a subscriber that
subscribes to a prefix besides everything, tests.mutants._sub_prefix_then_all), and mutants
whose one bug another requirement judges (one bug, one failure: a cluster that exits 1 after
ending its workers fails LIFE-2, not CLUSTER-4)."""
