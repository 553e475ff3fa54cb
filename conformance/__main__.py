"""Command line of the suite.

- ``run --impl MANIFEST [--impl ...]``: the conformance suite, through pytest (so
  xdist, -k and JUnit XML work as usual); exits 0 only if every implemented
  requirement passes.
- ``replay CASE.json [--impl MANIFEST]``: run one saved case again, exactly; exits 0
  if it passes, 1 if it fails, 2 if it cannot be run.
- ``corpus add CASE.json``: keep a case in the regression corpus.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

import pytest

SUITE = Path(__file__).with_name("suite.py")
DEFAULT_REPORT = "conformance-results"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m conformance", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the suite against one or more implementations")
    run.add_argument(
        "--impl",
        action="append",
        required=True,
        metavar="MANIFEST",
        help="manifest of an implementation (repeat to compare several)",
    )
    run.add_argument(
        "--profile",
        choices=["dev", "ci", "thorough"],
        help="hypothesis profile (default: $CONFORMANCE_PROFILE or ci)",
    )
    run.add_argument("--seed", type=int, help="hypothesis seed of the whole run")
    run.add_argument(
        "-k",
        dest="keyword",
        metavar="EXPR",
        help="only items matching EXPR, e.g. 'REQREP-1 and filer-rep'",
    )
    run.add_argument(
        "--role",
        action="append",
        default=[],
        metavar="ROLE",
        help="only items that judge this role, by exact name (-k filer-rep also matches "
        "filer-rep-cluster); repeat for several; interop items whose client or server is ROLE",
    )
    run.add_argument(
        "-j",
        "--jobs",
        default="auto",
        help="parallel workers (pytest-xdist; default auto, 0 = none)",
    )
    run.add_argument("--junit-xml", metavar="FILE", help="JUnit XML (default: DIR/junit.xml)")
    run.add_argument("-v", "--verbose", action="store_true", help="pytest's verbose output")
    run.add_argument(
        "--report", metavar="DIR", help="case files and reports (default ./conformance-results)"
    )
    _add_setup_option(run)
    replay = commands.add_parser("replay", help="run one saved case again")
    replay.add_argument("case_file", type=Path, metavar="CASE.json")
    replay.add_argument(
        "--impl",
        metavar="MANIFEST",
        help="run it against this implementation (default: the one in the case file)",
    )
    _add_setup_option(replay)
    corpus = commands.add_parser("corpus", help="manage the regression corpus")
    corpus_commands = corpus.add_subparsers(dest="corpus_command", required=True)
    add = corpus_commands.add_parser("add", help="add a case file to conformance/corpus/")
    add.add_argument("case_file", type=Path, metavar="CASE.json")
    add.add_argument("--name", help="file name in the corpus (default: the case file's)")
    return parser


def _add_setup_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--setup",
        choices=["auto", "always", "never"],
        default="auto",
        help="when to run the manifests' setup (build) commands: auto (default) runs them "
        "unless the manifest's setup_inputs are unchanged since they last succeeded; "
        "always; never",
    )


def pytest_arguments(args: argparse.Namespace) -> list[str]:
    """The pytest command line that runs what ARGS ask for."""
    argv = [str(SUITE), "-p", "no:cacheprovider", "-rfEsxX"]
    argv += ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
    argv += ["-p", "conformance.pytest_plugin"]
    for manifest in args.impl:
        argv += ["--impl", os.path.abspath(manifest)]
    if args.profile:
        argv += ["--profile", args.profile]
    if args.seed is not None:
        argv += ["--hypothesis-seed", str(args.seed)]
    if args.keyword:
        argv += ["-k", args.keyword]
    for role in args.role:
        argv += ["--role", role]
    argv += ["--setup", args.setup]
    if args.jobs not in ("0", "1") and importlib.util.find_spec("xdist") is not None:
        argv += ["-n", args.jobs]
    report = args.report or DEFAULT_REPORT
    argv += ["--report", report, "--junit-xml", args.junit_xml or str(Path(report) / "junit.xml")]
    argv += ["-v", "--tb=short"] if args.verbose else ["--progress", "--tb=no"]
    return argv


def replay(case_path: Path, impl: str | None, setup: str = "auto") -> int:
    """Run the case in CASE_PATH again and print its verdict; the exit status says it."""
    from conformance import casefile
    from conformance.errors import UsageError
    from conformance.manifest import load_manifest
    from conformance.model import Outcome
    from conformance.programs import check_programs
    from conformance.properties.registry import property_for
    from conformance.runner import run_case
    from conformance.setup_runner import run_setup
    from conformance.targets import describe

    try:
        content = casefile.read(case_path)
        manifest = load_manifest(impl or content["implementation"]["manifest"])
        peers = {
            role: load_manifest(peer["manifest"]) for role, peer in content.get("peers", {}).items()
        }
        prop = property_for(content["requirement"])
        case = casefile.case_from_json(prop.case_type, content["case"])
    except UsageError as error:
        print(f"replay: {error}", file=sys.stderr)
        return 2
    role = content["role"]
    if not manifest.implements(role):
        print(f"replay: {manifest.name!r} does not implement {role!r}", file=sys.stderr)
        return 2
    if manifest.sha256 != content["implementation"]["sha256"] and not impl:
        print("replay: note: the manifest changed since the case was saved", file=sys.stderr)
    try:
        for each in (manifest, *peers.values()):
            run_setup(each, mode=setup)
            check_programs(each)
    except UsageError as error:
        print(f"replay: {error}", file=sys.stderr)
        return 2
    from conformance.containment import notice

    print(
        f"replaying {content['requirement']} [{role}] against {manifest.name!r}: {content['case']['case_type']}"
    )
    print(notice())
    try:
        result = run_case(prop(), role, manifest, case, role_manifests=peers)
    except Exception:  # a HarnessError or a bug: either way the harness is at fault
        print(f"replay: error in the harness:\n{traceback.format_exc()}", file=sys.stderr)
        return 2
    if result.verdict.outcome is Outcome.PASS:
        print(f"{result.requirement} [{role}] of {manifest.name!r}: pass")
        return 0
    print(describe(result))
    return 1 if result.verdict.outcome is Outcome.FAIL else 2


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "replay":
        return replay(args.case_file, args.impl, args.setup)
    if args.command == "corpus":
        from conformance import casefile, corpus

        try:
            path = corpus.add(args.case_file, name=args.name)
        except casefile.CaseFileError as error:
            print(f"corpus add: {error}", file=sys.stderr)
            return 2
        print(f"added {path}")
        return 0
    return run(args)


class _Verdict:
    """A pytest plugin object that keeps the run's overall verdict for the exit status."""

    conforms: bool | None = None

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        from conformance.pytest_plugin import CONFORMS_KEY

        self.conforms = session.config.stash.get(CONFORMS_KEY, None)


HARNESS_FAILED = 3
"""The exit status when pytest ran but the plugin reached no verdict (a bug of the harness)."""


def run(args: argparse.Namespace) -> int:
    """Run the suite; exit 0 only if every implementation conforms (docs/verdicts.md).

    SHOULD requirements and interop results are reported without failing the run, so
    pytest's status 1 may become 0, but only on the plugin's word that every failure
    pytest saw belongs to an item with a verdict that does not count. pytest's own status
    stands when the run did not get that far (usage error, nothing selected, interrupted).
    """
    verdict = _Verdict()
    code = int(pytest.main(pytest_arguments(args), plugins=[verdict]))
    if code not in (0, 1):
        return code
    if verdict.conforms is None:
        return HARNESS_FAILED
    return 0 if verdict.conforms else 1


if __name__ == "__main__":
    sys.exit(main())
