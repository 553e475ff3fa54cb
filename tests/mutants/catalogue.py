"""The catalogue of mutants: which role each breaks, which requirement must catch it, the bug,
and the clauses of SPEC.md it breaks.

Pure data, the single source for ``tests/test_mutants_caught.py`` and for a
report's kill table. Each name is a module ``tests.mutants.<name>`` (the
program, whose docstring's first line is ``Mutant: <bug>. Should fail <id>.``)
and a manifest ``tests/mutants/manifests/<name>.toml`` that lists only ROLE.
``clauses`` are IDs of ``conformance.clauses.CLAUSES``: the sentences the one bug
breaks (the coverage table of ``tox -e mutants`` is built from them).
"""

from __future__ import annotations

from typing import NamedTuple


class Mutant(NamedTuple):
    name: str
    role: str
    requirement: str
    """The requirement the suite must fail the mutant on."""
    bug: str
    clauses: tuple[str, ...] = ()
    """The clauses the bug breaks (conformance.clauses); at least one."""


MUTANTS: tuple[Mutant, ...] = (
    # LIFE
    Mutant(
        "filer_serves_late",
        "filer-rep",
        "LIFE-1",
        "filer-rep prints its ready line, then answers only after 30 s",
        clauses=("LIFE-1.b",),
    ),
    Mutant(
        "pub_ready_before_bind",
        "watcher-pub",
        "LIFE-1",
        "watcher-pub prints its ready line before it binds",
        clauses=("LIFE-1.a",),
    ),
    Mutant(
        "broker_ignores_sigterm",
        "broker",
        "LIFE-2",
        "broker ignores SIGTERM",
        clauses=("LIFE-2.a", "LIFECYCLE-5.a"),
    ),
    Mutant(
        "filer_leaves_ipc",
        "filer-rep",
        "LIFE-2",
        "filer-rep exits at once on SIGTERM and leaves its ipc file",
        clauses=("LIFE-2.b", "LIFECYCLE-5.a"),
    ),
    # LIFE: the red team of issue 8 part 3 (conformance/clauses.py)
    Mutant(
        "filer_sigint_dies",
        "filer-rep",
        "LIFE-2",
        "filer-rep handles SIGTERM but dies of SIGINT, leaving its ipc file",
        clauses=("LIFECYCLE-5.a",),
    ),
    Mutant(
        "cluster_exits_nonzero",
        "filer-rep-cluster",
        "LIFE-2",
        "filer-rep-cluster ends its workers on SIGTERM, then exits 1",
        clauses=("LIFE-2.a", "LIFECYCLE-5.f"),
    ),
    # LIFE: clauses that had no mutant (issue 8 part 3)
    Mutant(
        "cluster_leaves_backend_ipc",
        "filer-rep-cluster",
        "LIFE-2",
        "filer-rep-cluster removes its frontend's ipc file on SIGTERM, not its backend's",
        clauses=("LIFE-2.b", "LIFECYCLE-5.f"),
    ),
    # PUBSUB
    Mutant(
        "pub_topic_frame",
        "watcher-pub",
        "PUBSUB-1",
        "watcher-pub sends each change as two frames, a topic and the JSON",
        clauses=("PUBSUB-1.a", "FMT-3.1.a"),
    ),
    Mutant(
        "pub_watches_file",
        "watcher-pub",
        "PUBSUB-2",
        "watcher-pub watches FILE, not its directory: renames over it go unseen",
        clauses=("PUBSUB-2.b",),
    ),
    Mutant(
        "sub_topic_filter",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub subscribes to one JSON encoding's prefix, not to everything",
        clauses=("PUBSUB-3.a",),
    ),
    Mutant(
        "sub_dedup",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub skips a message about the same file as the one before",
        clauses=("PUBSUB-3.b",),
    ),
    Mutant(
        "sub_no_flush",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub prints its lines without flushing stdout",
        clauses=("FMT-3.6.a",),
    ),
    Mutant(
        "sub_no_reconnect",
        "watcher-sub",
        "PUBSUB-4",
        "watcher-sub has reconnection disabled (ZMQ_RECONNECT_IVL = -1)",
        clauses=("PUBSUB-4.b",),
    ),
    Mutant(
        "sub_crashes_bad_message",
        "watcher-sub",
        "PUBSUB-5",
        "watcher-sub trusts every message and crashes on a bad one",
        clauses=("PUBSUB-5.a", "PUBSUB-5.b"),
    ),
    # PUBSUB: the red team of issue 8 part 3 (conformance/clauses.py)
    Mutant(
        "pub_resolves_file",
        "watcher-pub",
        "PUBSUB-1",
        "watcher-pub puts FILE's resolved path in its messages",
        clauses=("PUBSUB-1.c", "FMT-3.2.b"),
    ),
    Mutant(
        "pub_nfc_file",
        "watcher-pub",
        "PUBSUB-1",
        "watcher-pub NFC-normalises FILE in its messages",
        clauses=("PUBSUB-1.c", "FMT-3.2.b"),
    ),
    Mutant(
        "pub_timestamp_seconds",
        "watcher-pub",
        "PUBSUB-1",
        "watcher-pub stamps its messages in seconds, not milliseconds",
        clauses=("PUBSUB-1.b", "FMT-3.1.g", "FMT-3.2.c"),
    ),
    Mutant(
        "sub_nfc_file",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub NFC-normalises the file name it prints",
        clauses=("PUBSUB-3.d", "FMT-3.6.c"),
    ),
    Mutant(
        "sub_rejects_unknown_keys",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub skips change messages with a key it does not know",
        clauses=("FMT-3.1.e",),
    ),
    Mutant(
        "sub_prints_banner",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub prints a banner on stdout before its change lines",
        clauses=("FMT-3.6.b",),
    ),
    # PUBSUB: clauses that had no mutant (issue 8 part 3)
    Mutant(
        "pub_type_change",
        "watcher-pub",
        "PUBSUB-1",
        "watcher-pub names its messages' type 'change', not 'changed'",
        clauses=("PUBSUB-1.b", "FMT-3.2.a"),
    ),
    Mutant(
        "pub_basename_file",
        "watcher-pub",
        "PUBSUB-1",
        "watcher-pub puts FILE's last component in its messages",
        clauses=("PUBSUB-1.c", "FMT-3.2.b"),
    ),
    Mutant(
        "pub_ignores_in_place",
        "watcher-pub",
        "PUBSUB-2",
        "watcher-pub reports new files renamed over FILE, not writes in place",
        clauses=("PUBSUB-2.a",),
    ),
    Mutant(
        "pub_first_subscriber_only",
        "watcher-pub",
        "PUBSUB-2",
        "watcher-pub serves only the first subscriber that connects",
        clauses=("PUBSUB-2.c",),
    ),
    Mutant(
        "sub_compact_only",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub skips change messages that are not compact JSON",
        clauses=("FMT-3.1.d",),
    ),
    Mutant(
        "sub_double_quotes",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub prints the file name in double quotes",
        clauses=("PUBSUB-3.b", "FMT-3.6.c"),
    ),
    Mutant(
        "sub_prints_basename",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub prints the last component of the message's file",
        clauses=("PUBSUB-3.d", "FMT-3.6.c"),
    ),
    Mutant(
        "sub_newest_first",
        "watcher-sub",
        "PUBSUB-3",
        "watcher-sub prints a burst of messages newest first",
        clauses=("PUBSUB-3.c",),
    ),
    Mutant(
        "sub_exits_on_disconnect",
        "watcher-sub",
        "PUBSUB-4",
        "watcher-sub exits 0 when its publisher disconnects",
        clauses=("PUBSUB-4.a",),
    ),
    Mutant(
        "pub_default_filter",
        "watcher-pub",
        "PUBSUB-1",
        "watcher-pub drops editor files (*~, *.swp) as watchfiles' default filter does",
        clauses=("PUBSUB-1.a",),
    ),
    # REQREP
    Mutant(
        "filer_wrong_pid",
        "filer-rep",
        "REQREP-1",
        "filer-rep reports its parent's pid instead of its own",
        clauses=("REQREP-1.e", "FMT-3.1.h", "FMT-3.4.c"),
    ),
    Mutant(
        "filer_truncates",
        "filer-rep",
        "REQREP-1",
        "filer-rep reads only the first 64 bytes of a file",
        clauses=("REQREP-1.c", "FMT-3.4.a"),
    ),
    Mutant(
        "cluster_workers_ignore_root",
        "filer-rep-cluster",
        "REQREP-1",
        "filer-rep-cluster starts its workers without --root",
        clauses=("REQREP-1.c", "FMT-3.3.a"),
    ),
    Mutant(
        "filer_stale_cache",
        "filer-rep",
        "REQREP-2",
        "filer-rep caches file contents by path and serves stale text",
        clauses=("REQREP-2.a",),
    ),
    Mutant(
        "filer_no_error_reply",
        "filer-rep",
        "REQREP-3",
        "filer-rep sends no reply at all to a bad request",
        clauses=("REQREP-3.a",),
    ),
    Mutant(
        "filer_crashes_non_utf8",
        "filer-rep",
        "REQREP-3",
        "filer-rep crashes on a file that is not UTF-8",
        clauses=("REQREP-3.b",),
    ),
    Mutant(
        "filer_lifo_batches",
        "filer-rep",
        "REQREP-4",
        "filer-rep answers queued requests in batches, pairing them LIFO",
        clauses=("REQREP-4.b",),
    ),
    Mutant(
        "req_never_exits",
        "filer-req",
        "REQREP-5",
        "filer-req stays running after it printed the reply",
        clauses=("REQREP-5.d",),
    ),
    Mutant(
        "req_prints_dict",
        "filer-req",
        "REQREP-5",
        "filer-req prints the parsed reply as a Python dict, not as received",
        clauses=("REQREP-5.c", "FMT-3.6.f"),
    ),
    Mutant(
        "req_preflight",
        "filer-req",
        "REQREP-6",
        "filer-req checks that a responder is up first, and exits 1 if not",
        clauses=("REQREP-6.a",),
    ),
    Mutant(
        "req_gives_up",
        "filer-req",
        "REQREP-6",
        "filer-req gives up after 0.5 s when nothing answers",
        clauses=("REQREP-6.a",),
    ),
    Mutant(
        "loop_dealer_burst",
        "filer-req-loop",
        "REQREP-7",
        "filer-req-loop, on a DEALER, sends all COUNT requests at once",
        clauses=("REQREP-7.b",),
    ),
    Mutant(
        "loop_off_by_one",
        "filer-req-loop",
        "REQREP-7",
        "filer-req-loop sends COUNT - 1 requests (an off-by-one)",
        clauses=("REQREP-7.a",),
    ),
    # REQREP: the red team of issue 8 part 3 (conformance/clauses.py)
    Mutant(
        "filer_pretty_reply",
        "filer-rep",
        "REQREP-1",
        "filer-rep indents its replies, so they hold raw LF bytes",
        clauses=("FMT-3.1.c",),
    ),
    Mutant(
        "filer_timestamp_seconds",
        "filer-rep",
        "REQREP-1",
        "filer-rep stamps its replies in seconds, not milliseconds",
        clauses=("REQREP-1.d", "FMT-3.1.g", "FMT-3.4.b"),
    ),
    Mutant(
        "filer_crlf_big",
        "filer-rep",
        "REQREP-1",
        "filer-rep turns CR LF into LF in files over 64 KiB",
        clauses=("REQREP-1.c", "FMT-3.4.a"),
    ),
    Mutant(
        "filer_nfc_text",
        "filer-rep",
        "REQREP-1",
        "filer-rep NFC-normalises the text it serves",
        clauses=("REQREP-1.c", "FMT-3.4.a"),
    ),
    Mutant(
        "filer_rejects_noncharacters",
        "filer-rep",
        "REQREP-1",
        "filer-rep calls files with Unicode noncharacters not UTF-8",
        clauses=("REQREP-1.c", "FMT-3.4.a"),
    ),
    Mutant(
        "filer_small_limit",
        "filer-rep",
        "REQREP-1",
        "filer-rep refuses files over 8 MiB, not over 16 MiB",
        clauses=("FMT-3.5.g",),
    ),
    Mutant(
        "filer_hides_dotfiles",
        "filer-rep",
        "REQREP-1",
        "filer-rep refuses names that start with a dot",
        clauses=("REQREP-1.c", "FMT-3.3.b"),
    ),
    Mutant(
        "filer_nfc_path",
        "filer-rep",
        "REQREP-1",
        "filer-rep NFC-normalises the path before it opens the file",
        clauses=("FMT-3.3.b",),
    ),
    Mutant(
        "filer_strips_path",
        "filer-rep",
        "REQREP-1",
        "filer-rep strips white space around the path it is asked for",
        clauses=("FMT-3.3.b",),
    ),
    Mutant(
        "filer_ascii_requests",
        "filer-rep",
        "REQREP-1",
        "filer-rep refuses requests that hold raw non-ASCII bytes",
        clauses=("FMT-3.1.d",),
    ),
    Mutant(
        "filer_lexical_guard",
        "filer-rep",
        "REQREP-1",
        "filer-rep refuses a path whose .. climbs above the root, even one that comes back",
        clauses=("FMT-3.3.b",),
    ),
    Mutant(
        "filer_rejects_unknown_keys",
        "filer-rep",
        "REQREP-1",
        "filer-rep refuses a request with a key besides path",
        clauses=("FMT-3.1.e",),
    ),
    Mutant(
        "cluster_duplicates_replies",
        "filer-rep-cluster",
        "REQREP-1",
        "filer-rep-cluster sends every reply to its client twice",
        clauses=("REQREP-1.a", "REQREP-4.a"),
    ),
    Mutant(
        "filer_error_pid_parent",
        "filer-rep",
        "REQREP-3",
        "filer-rep names its parent's pid in error replies",
        clauses=("FMT-3.1.h", "REQREP-3.a"),
    ),
    Mutant(
        "filer_encode_fails",
        "filer-rep",
        "REQREP-3",
        "filer-rep crashes when a reply holds a lone surrogate",
        clauses=("FMT-3.1.j", "FMT-3.5.j"),
    ),
    Mutant(
        "filer_wtf8_reply",
        "filer-rep",
        "REQREP-3",
        "filer-rep sends a lone surrogate as 3 bytes, not as a JSON escape",
        clauses=("FMT-3.1.i", "FMT-3.1.a"),
    ),
    Mutant(
        "filer_utf8_head",
        "filer-rep",
        "REQREP-3",
        "filer-rep checks only a file's first 4 KiB for valid UTF-8",
        clauses=("FMT-3.5.i",),
    ),
    Mutant(
        "filer_beyond_unicode",
        "filer-rep",
        "REQREP-3",
        "filer-rep takes 4-byte sequences above U+10FFFF for UTF-8",
        clauses=("FMT-3.5.i",),
    ),
    Mutant(
        "filer_exists_before_forbidden",
        "filer-rep",
        "REQREP-3",
        "filer-rep answers not_found for a missing path outside the root",
        clauses=("FMT-3.5.a",),
    ),
    Mutant(
        "req_basename",
        "filer-req",
        "REQREP-5",
        "filer-req asks for FILE's last component only",
        clauses=("REQREP-5.a",),
    ),
    Mutant(
        "req_reencodes",
        "filer-req",
        "REQREP-5",
        "filer-req prints the reply re-encoded by its JSON library",
        clauses=("REQREP-5.c", "FMT-3.6.f"),
    ),
    Mutant(
        "req_escapes_separators",
        "filer-req",
        "REQREP-5",
        "filer-req escapes U+2028 and U+2029 in the reply it prints",
        clauses=("REQREP-5.c", "FMT-3.6.f"),
    ),
    Mutant(
        "req_no_flush",
        "filer-req",
        "REQREP-6",
        "filer-req prints its lines without flushing stdout",
        clauses=("FMT-3.6.a", "FMT-3.6.d"),
    ),
    Mutant(
        "filer_rejects_big_numbers",
        "filer-rep",
        "REQREP-1",
        "filer-rep fails a request holding a number no int64 or double can hold",
        clauses=("FMT-3.1.f",),
    ),
    Mutant(
        "filer_pathlib_resolve",
        "filer-rep",
        "REQREP-3",
        "filer-rep resolves with Python's Path.resolve(), which serves loop/../good.txt",
        clauses=("FMT-3.3.b", "FMT-3.5.d"),
    ),
    Mutant(
        "filer_lexical_dotdot",
        "filer-rep",
        "REQREP-3",
        "filer-rep takes .. lexically, before symlinks, for a path the walk finds outside",
        clauses=("FMT-3.3.b", "FMT-3.5.c"),
    ),
    Mutant(
        "filer_exists_first",
        "filer-rep",
        "REQREP-3",
        "filer-rep answers not_found for a missing path before it checks the root",
        clauses=("FMT-3.5.a",),
    ),
    Mutant(
        "req_chokes_on_big_numbers",
        "filer-req",
        "REQREP-5",
        "filer-req fails on a reply holding a number no int64 or double can hold",
        clauses=("FMT-3.1.f",),
    ),
    # REQREP: clauses that had no mutant (issue 8 part 3)
    Mutant(
        "filer_two_frame_reply",
        "filer-rep",
        "REQREP-1",
        "filer-rep sends each reply as two frames, the JSON and an empty one",
        clauses=("REQREP-1.b", "FMT-3.1.a"),
    ),
    Mutant(
        "filer_float_timestamp",
        "filer-rep",
        "REQREP-1",
        "filer-rep stamps its replies with fractional milliseconds",
        clauses=("REQREP-1.d", "FMT-3.1.g"),
    ),
    Mutant(
        "filer_no_root_guard",
        "filer-rep",
        "REQREP-3",
        "filer-rep serves whatever a path resolves to, under the root or not",
        clauses=("FMT-3.3.c", "FMT-3.5.c"),
    ),
    Mutant(
        "filer_serves_absolute",
        "filer-rep",
        "REQREP-3",
        "filer-rep serves an absolute path that names a file under the root",
        clauses=("FMT-3.5.c",),
    ),
    Mutant(
        "filer_multipart_first_frame",
        "filer-rep",
        "REQREP-3",
        "filer-rep serves a multipart request from its first frame",
        clauses=("FMT-3.5.b",),
    ),
    Mutant(
        "filer_enotdir_not_a_file",
        "filer-rep",
        "REQREP-3",
        "filer-rep answers not_a_file for a path through a regular file",
        clauses=("FMT-3.5.d",),
    ),
    Mutant(
        "filer_directory_unreadable",
        "filer-rep",
        "REQREP-3",
        "filer-rep answers unreadable for a directory",
        clauses=("FMT-3.5.e",),
    ),
    Mutant(
        "filer_opens_fifo",
        "filer-rep",
        "REQREP-3",
        "filer-rep opens a non-regular file before it looks at its type",
        clauses=("FMT-3.5.f",),
    ),
    Mutant(
        "filer_big_limit",
        "filer-rep",
        "REQREP-3",
        "filer-rep serves files up to 64 MiB, not 16 MiB",
        clauses=("FMT-3.5.g",),
    ),
    Mutant(
        "filer_denied_not_found",
        "filer-rep",
        "REQREP-3",
        "filer-rep answers not_found for a file it may not open",
        clauses=("FMT-3.5.h",),
    ),
    Mutant(
        "filer_lossy_utf8",
        "filer-rep",
        "REQREP-3",
        "filer-rep serves a file that is not UTF-8 with U+FFFD for its bad bytes",
        clauses=("FMT-3.5.i",),
    ),
    Mutant(
        "req_file_key",
        "filer-req",
        "REQREP-5",
        "filer-req names the file under the key 'file', not 'path'",
        clauses=("REQREP-5.a",),
    ),
    Mutant(
        "req_sending_repr",
        "filer-req",
        "REQREP-5",
        "filer-req quotes FILE in its Sending line",
        clauses=("REQREP-5.b", "FMT-3.6.d"),
    ),
    Mutant(
        "loop_numbers_from_zero",
        "filer-req-loop",
        "REQREP-7",
        "filer-req-loop numbers its requests from 0",
        clauses=("REQREP-7.c", "FMT-3.6.e"),
    ),
    Mutant(
        "loop_replies_reversed",
        "filer-req-loop",
        "REQREP-7",
        "filer-req-loop prints its replies at the end, the last first",
        clauses=("REQREP-7.d",),
    ),
    Mutant(
        "loop_never_exits",
        "filer-req-loop",
        "REQREP-7",
        "filer-req-loop stays running after its last reply",
        clauses=("REQREP-7.e",),
    ),
    Mutant(
        "filer_nesting_crashes",
        "filer-rep",
        "REQREP-3",
        "filer-rep crashes on a request nested deeper than its parser allows",
        clauses=("FMT-3.1.k",),
    ),
    # BROKER
    Mutant(
        "broker_drops_last_frame",
        "broker",
        "BROKER-1",
        "broker drops the last frame of every multipart message",
        clauses=("BROKER-1.a", "BROKER-1.b"),
    ),
    Mutant(
        "broker_drops_empty_frames",
        "broker",
        "BROKER-1",
        "broker drops empty frames",
        clauses=("BROKER-1.b",),
    ),
    Mutant(
        "broker_reply_to_last_client",
        "broker",
        "BROKER-2",
        "broker sends each reply to the client that sent the latest request",
        clauses=("BROKER-2.a",),
    ),
    Mutant(
        "broker_duplicates_replies",
        "broker",
        "BROKER-2",
        "broker delivers every reply twice",
        clauses=("BROKER-2.b",),
    ),
    # BROKER: clauses that had no mutant (issue 8 part 3)
    Mutant(
        "broker_drops_unroutable",
        "broker",
        "BROKER-1",
        "broker drops a request when no worker is connected yet",
        clauses=("BROKER-1.c",),
    ),
    # CLUSTER
    Mutant(
        "cluster_reports_master_pid",
        "filer-rep-cluster",
        "CLUSTER-1",
        "filer-rep-cluster prints the master's pid in its online lines",
        clauses=("CLUSTER-1.c", "FMT-3.6.g"),
    ),
    Mutant(
        "cluster_default_backend",
        "filer-rep-cluster",
        "CLUSTER-2",
        "filer-rep-cluster connects only its first worker to --backend",
        clauses=("CLUSTER-2.a",),
    ),
    Mutant(
        "cluster_no_restart",
        "filer-rep-cluster",
        "CLUSTER-3",
        "filer-rep-cluster reports a dead worker but never starts another",
        clauses=("CLUSTER-3.b", "LIFECYCLE-5.h"),
    ),
    Mutant(
        "cluster_restart_spins",
        "filer-rep-cluster",
        "CLUSTER-3",
        "filer-rep-cluster restarts a dead worker at once, without a backoff",
        clauses=("LIFECYCLE-5.i",),
    ),
    Mutant(
        "cluster_sigterm_leaves_workers",
        "filer-rep-cluster",
        "CLUSTER-4",
        "filer-rep-cluster exits on SIGTERM without stopping its workers",
        clauses=("CLUSTER-4.a", "LIFECYCLE-5.d"),
    ),
    Mutant(
        "cluster_exits_unreaped",
        "filer-rep-cluster",
        "CLUSTER-4",
        "filer-rep-cluster SIGTERMs its workers and exits without reaping them",
        clauses=("LIFECYCLE-5.e",),
    ),
    Mutant(
        "cluster_orphans",
        "filer-rep-cluster",
        "CLUSTER-5",
        "filer-rep-cluster workers do not notice that the master died",
        clauses=("CLUSTER-5.a", "LIFECYCLE-5.g"),
    ),
    # CLUSTER: the red team of issue 8 part 3 (conformance/clauses.py)
    Mutant(
        "cluster_one_at_a_time",
        "filer-rep-cluster",
        "CLUSTER-6",
        "filer-rep-cluster forwards one request at a time and waits for its reply",
        clauses=("CLUSTER-6.a",),
    ),
    Mutant(
        "cluster_workers_setsid",
        "filer-rep-cluster",
        "CLUSTER-1",
        "filer-rep-cluster starts each worker in a session of its own",
        clauses=("LIFECYCLE-5.j",),
    ),
    # CLUSTER: clauses that had no mutant (issue 8 part 3)
    Mutant(
        "cluster_ignores_workers_flag",
        "filer-rep-cluster",
        "CLUSTER-1",
        "filer-rep-cluster always starts 3 workers, whatever --workers says",
        clauses=("CLUSTER-1.a",),
    ),
    Mutant(
        "cluster_online_twice",
        "filer-rep-cluster",
        "CLUSTER-1",
        "filer-rep-cluster prints each online line twice",
        clauses=("CLUSTER-1.b",),
    ),
    Mutant(
        "cluster_ready_first",
        "filer-rep-cluster",
        "CLUSTER-1",
        "filer-rep-cluster prints its ready line before its workers are online",
        clauses=("FMT-3.6.i",),
    ),
    Mutant(
        "cluster_first_worker_hogs",
        "filer-rep-cluster",
        "CLUSTER-2",
        "filer-rep-cluster's first worker takes 8 connections' share of the load",
        clauses=("CLUSTER-2.b",),
    ),
    Mutant(
        "cluster_silent_exit",
        "filer-rep-cluster",
        "CLUSTER-3",
        "filer-rep-cluster replaces a dead worker without reporting its exit",
        clauses=("CLUSTER-3.a",),
    ),
    Mutant(
        "cluster_exit_code_positive",
        "filer-rep-cluster",
        "CLUSTER-3",
        "filer-rep-cluster reports a worker killed by signal N as code N, not -N",
        clauses=("FMT-3.6.h",),
    ),
    Mutant(
        "cluster_stops_forwarding",
        "filer-rep-cluster",
        "CLUSTER-3",
        "filer-rep-cluster stops forwarding when a worker dies, and never starts again",
        clauses=("CLUSTER-3.c",),
    ),
)
"""Every mutant the suite is expected to catch, in SPEC.md order of their requirements."""

MISSED: dict[str, str] = {
    # none today: the red team's escapes of issue 8 part 3 are all caught
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
