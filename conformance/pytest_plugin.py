"""pytest plugin: ``pytest --impl PATH/manifest.toml`` runs the conformance suite.

``--impl`` may be given several times to compare implementations; each
requirement x role x implementation is one test item (so ``-k``, ``-n`` from
pytest-xdist and ``--junit-xml`` work as usual). A role the manifest does not
list is skipped as "not implemented"; a requirement in its
``expected_failures`` is an xfail ("known deviation"), and an xpass there is a
stale deviation. Failing examples become case files, and the run ends with a
summary table and report.json / report.html in ``--report DIR``.
Kept import-light: nothing heavy is imported unless ``--impl`` is given.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conformance.corpus import Entry
    from conformance.manifest import Manifest
    from conformance.results import ItemResult
    from conformance.targets import RunOptions, Target

IMPL_OPTION = "--impl"
PROFILE_OPTION = "--profile"
REPORT_OPTION = "--report"
PROGRESS_OPTION = "--progress"
SEED_OPTION = "--hypothesis-seed"
SETUP_OPTION = "--setup"
DEFAULT_REPORT = "conformance-results"
ROLE_OPTION = "--role"
PROPERTY_NAME = "conformance"
TARGET_PROPERTY = "conformance_target"
"""The user property that carries an item's target key into every report (also across xdist)."""
SELECTED_OUTPUT = "conformance_selected"
"""What a pytest-xdist worker hands the controller at its end: the keys of the items it selected."""
SUITE = Path(__file__).with_name("suite.py")


@dataclass
class Run:
    """What the plugin knows about the run: options, targets and, on the controller, results."""

    manifests: list[Manifest]
    targets: dict[str, Target]
    profile: str
    options: RunOptions
    corpus: list[Entry]
    report_dir: Path
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    results: dict[str, ItemResult] = field(default_factory=dict)
    """Per target key, the one verdict of each item that has ended."""
    selected: int = 0
    """How many items were collected after -k and deselection."""
    selected_keys: list[str] | None = None
    """The target keys of the selected items, when known (always without xdist; from the
    workers' output with it)."""
    unattributed: list[str] = field(default_factory=list)
    """Failures pytest reported that belong to no known item: each one makes the run fail."""

    def options_for(self, target: Target) -> RunOptions:
        from dataclasses import replace

        from conformance.corpus import cases_for

        return replace(self.options, corpus=tuple(cases_for(target.prop, target.role, self.corpus)))


RUN_KEY = pytest.StashKey[Run]()
CONFORMS_KEY = pytest.StashKey[bool]()
"""Set at the end of a run: whether every implementation conforms (docs/verdicts.md)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "ZeroMQ conformance suite")
    group.addoption(
        IMPL_OPTION,
        action="append",
        default=[],
        metavar="MANIFEST",
        help="run the conformance suite against the implementation this manifest describes "
        "(repeat to compare several)",
    )
    group.addoption(
        PROFILE_OPTION,
        default=None,
        choices=["dev", "ci", "thorough"],
        help="hypothesis profile of the suite (default: $CONFORMANCE_PROFILE or ci)",
    )
    group.addoption(
        ROLE_OPTION,
        action="append",
        default=[],
        metavar="ROLE",
        help="only items that judge this role (exact name; repeat for several); interop items "
        "are selected when either of their roles is",
    )
    group.addoption(
        PROGRESS_OPTION,
        action="store_true",
        help="one line per item as it finishes, instead of pytest's dots",
    )
    group.addoption(
        SETUP_OPTION,
        default="auto",
        choices=["auto", "always", "never"],
        help="when to run the manifests' setup (build) commands: auto (default) runs them "
        "unless the manifest's setup_inputs are unchanged since they last succeeded",
    )
    group.addoption(
        REPORT_OPTION,
        default=DEFAULT_REPORT,
        metavar="DIR",
        help=f"where case files and report.json/report.html go (default ./{DEFAULT_REPORT})",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "conformance: an item of the conformance suite")
    if not config.getoption(IMPL_OPTION):
        return
    from conformance import corpus
    from conformance.errors import UsageError
    from conformance.manifest import load_manifest
    from conformance.profiles import profile
    from conformance.programs import check_programs
    from conformance.properties.registry import interop_targets, targets_for
    from conformance.setup_runner import run_setup
    from conformance.spec import ROLES
    from conformance.targets import RunOptions

    try:
        manifests = [load_manifest(path) for path in config.getoption(IMPL_OPTION)]
        name, settings = profile(config.getoption(PROFILE_OPTION))
        entries = corpus.load()
    except UsageError as error:
        raise pytest.UsageError(str(error)) from None
    unknown = [role for role in config.getoption(ROLE_OPTION) if role not in ROLES]
    if unknown:
        raise pytest.UsageError(
            f"--role {unknown[0]!r} is not a role; the roles are: {', '.join(ROLES)}"
        )
    names = [manifest.name for manifest in manifests]
    if len(set(names)) != len(names):
        raise pytest.UsageError(f"two manifests have the same name: {names}; names must differ")
    if not hasattr(config, "workerinput"):  # the controller (or a run without xdist)
        try:
            for manifest in manifests:
                run_setup(manifest, mode=config.getoption(SETUP_OPTION))
                check_programs(manifest)
        except UsageError as error:
            raise pytest.UsageError(str(error)) from None
    report_dir = Path(config.getoption(REPORT_OPTION)).absolute()
    seed = _choose_seed(config, settings)
    everything = [t for m in manifests for t in targets_for(m)] + interop_targets(manifests)
    targets = {target.key: target for target in everything}
    options = RunOptions(settings=settings, profile=name, seed=seed, cases_dir=report_dir / "cases")
    config.stash[RUN_KEY] = Run(manifests, targets, name, options, entries, report_dir)
    if config.args_source != pytest.Config.ArgsSource.ARGS:  # no test paths were given
        config.args[:] = [str(SUITE)]


def _choose_seed(config: pytest.Config, settings: Any) -> int | None:
    """The run's seed: given, handed down by the xdist controller, or new; None if derandomized."""
    if settings.derandomize:
        return None
    given = config.getoption("hypothesis_seed", default=None)
    workerinput = getattr(config, "workerinput", None)
    if given is not None:
        seed = int(given)
    elif workerinput is not None and "conformance_seed" in workerinput:
        seed = int(workerinput["conformance_seed"])
    else:
        seed = random.getrandbits(32)
    import hypothesis.core

    hypothesis.core.global_force_seed = seed  # type: ignore[assignment]
    return seed


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: every worker uses the controller's seed."""
    run = node.config.stash.get(RUN_KEY, None)
    if run is not None and run.options.seed is not None:
        node.workerinput["conformance_seed"] = run.options.seed


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    run = config.stash.get(RUN_KEY, None)
    if run is None:
        return None
    seed = run.options.seed
    how = "derandomized" if seed is None else f"seed {seed} (reproduce with --seed {seed})"
    from conformance.containment import notice

    names = ", ".join(manifest.name for manifest in run.manifests)
    return [
        f"conformance: profile {run.profile!r}, {how}; implementations: {names}",
        f"conformance: {len(run.corpus)} corpus cases; results in {run.report_dir}",
        f"conformance: {notice()}",
    ]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "conformance_target" not in metafunc.fixturenames:
        return
    run = metafunc.config.stash.get(RUN_KEY, None)
    params = []
    for target in run.targets.values() if run else []:
        marks: list[pytest.MarkDecorator] = [pytest.mark.conformance]
        if not target.implemented:
            marks.append(pytest.mark.skip(reason=f"not implemented: {target.missing}"))
        elif target.deviation is not None:
            marks.append(pytest.mark.xfail(reason=f"known deviation: {target.deviation}"))
        params.append(pytest.param(target, id=target.id, marks=marks))
    metafunc.parametrize("conformance_target", params)


def verify(target: Target, request: pytest.FixtureRequest) -> None:
    """The body of every suite item: verify, and leave the details for the report."""
    __tracebackhide__ = True
    from conformance.errors import NotApplicable

    run = request.config.stash[RUN_KEY]
    try:
        target.verify(run.options_for(target))
    except NotApplicable as reason:
        pytest.skip(f"not implemented: {reason}")
    finally:
        request.node.user_properties.append((PROPERTY_NAME, json.dumps(_details(target))))


def _details(target: Target) -> dict[str, Any]:
    failing = target.failure
    details: dict[str, Any] = {
        "examples": len(target.results),
        "duration": round(target.duration, 3),
        "case_file": str(target.case_file) if target.case_file else None,
        "not_exercised": list(target.not_exercised),
    }
    if failing is not None:
        from conformance.casefile import process_logs

        details.update(
            verdict=failing.verdict.outcome.value,
            explanation=failing.verdict.explanation,
            expected=failing.verdict.expected,
            seen=failing.verdict.seen,
            processes=process_logs(failing.transcript),
        )
    return details


def pytest_itemcollected(item: pytest.Item) -> None:
    """Give each suite item its target's identity as data, and its names as ``-k`` words."""
    target = _target_of(item)
    if target is not None:
        item.user_properties.append((TARGET_PROPERTY, target.key))
        item.extra_keyword_matches.update(target.keywords)


def _target_of(item: pytest.Item) -> Target | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("conformance_target") if callspec is not None else None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """--role: keep only the items that judge one of the roles named (exact match)."""
    roles = config.getoption(ROLE_OPTION, default=[])
    if not roles or RUN_KEY not in config.stash:
        return
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        target = _target_of(item)
        (kept if target is None or target.involves(roles) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _key_of(report: pytest.TestReport) -> str | None:
    for name, value in report.user_properties:
        if name == TARGET_PROPERTY:
            return str(value)
    return None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect one verdict per item on the controller (the reports come from every worker).

    The item is found by the target key its reports carry, never by parsing the node id. A
    failure that carries no known key cannot be judged, so it fails the run.
    """
    config = _CONFIG.get("config")
    run = config.stash.get(RUN_KEY, None) if config is not None else None
    if config is None or run is None or hasattr(config, "workerinput"):
        return
    key = _key_of(report)
    target = run.targets.get(key) if key is not None else None
    if target is None:
        if report.failed:
            run.unattributed.append(
                f"{report.nodeid} ({report.when}) failed and belongs to no conformance item:\n"
                + str(report.longrepr)[-2000:]
            )
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        result = run.results[target.key] = _item_result(target, report)
        if config.getoption(PROGRESS_OPTION):
            _show_progress(config, run, result)
    elif report.when == "teardown" and report.failed:
        from conformance.model import Outcome

        earlier = run.results.get(target.key)
        if earlier is None or earlier.outcome is not Outcome.ERROR:
            run.results[target.key] = _error_result(
                target, f"the item's teardown failed:\n{str(report.longrepr)[-4000:]}"
            )


def _error_result(target: Target, explanation: str) -> ItemResult:
    from conformance.model import Outcome
    from conformance.results import ItemResult

    return ItemResult(
        implementation=target.manifest.name,
        requirement=target.prop.requirement_id,
        role=target.role,
        outcome=Outcome.ERROR,
        explanation=explanation,
        deviation=target.deviation,
        peer=next(((m.name, r) for r, m in target.peers.items()), None),
    )


def _show_progress(config: pytest.Config, run: Run, result: ItemResult) -> None:
    """One line per finished item: count, verdict, requirement, role, implementation."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    where = f"{result.implementation}"
    if result.peer is not None:
        where += f" -> {result.peer[0]}:{result.peer[1]}"
    timing = f"  {result.examples} examples, {result.duration:.1f} s" if result.examples else ""
    reporter.ensure_newline()
    reporter.write_line(
        f"[{len(run.results):>3}/{run.selected or len(run.targets)}] {result.outcome.value:<15} "
        f"{result.requirement:<14} {result.role:<18} {where}{timing}"
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    run = session.config.stash.get(RUN_KEY, None)
    if run is not None:
        run.selected = len(session.items)
        run.selected_keys = [
            target.key for target in map(_target_of, session.items) if target is not None
        ]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist: the controller learns which items were selected from a worker's output."""
    run = node.config.stash.get(RUN_KEY, None)
    keys = getattr(node, "workeroutput", {}).get(SELECTED_OUTPUT)
    if run is not None and keys is not None and run.selected_keys is None:
        run.selected_keys = list(keys)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    """pytest-xdist: the controller learns the number of items from a worker."""
    run = node.config.stash.get(RUN_KEY, None)
    if run is not None:
        run.selected = len(ids)


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> Any:
    """With --progress, the progress lines replace pytest's dots."""
    progress = config.getoption(PROGRESS_OPTION, default=False) and RUN_KEY in config.stash
    if progress and hasattr(report, "wasxfail") and report.when == "call":
        # pytest's own categories, which its summary expects; no letter beside the line
        return ("xfailed", "", "XFAIL") if report.skipped else ("xpassed", "", "XPASS")
    if hasattr(report, "wasxfail"):
        return None
    if progress and (report.when == "call" or (report.when == "setup" and report.skipped)):
        return report.outcome, "", report.outcome.upper()
    return None


def _item_result(target: Target, report: pytest.TestReport) -> ItemResult:
    from conformance.model import Outcome
    from conformance.results import ItemResult

    details: dict[str, Any] = {}
    for name, value in report.user_properties:
        if name == PROPERTY_NAME:
            details = json.loads(str(value))
    xfail = hasattr(report, "wasxfail")
    if report.skipped:
        outcome = Outcome.DEVIATION if xfail else Outcome.NOT_IMPLEMENTED
    elif report.passed:
        outcome = Outcome.STALE if xfail else Outcome.PASS
    elif report.when == "call" and details.get("verdict") == Outcome.FAIL.value:
        outcome = Outcome.FAIL
    else:
        outcome = Outcome.ERROR
    explanation = details.get("explanation", "")
    if outcome is Outcome.ERROR and not explanation:
        explanation = str(report.longrepr)[-4000:]
    if outcome is Outcome.STALE:
        explanation = f"declared a known deviation ({target.deviation}), but it passed"
    return ItemResult(
        implementation=target.manifest.name,
        requirement=target.prop.requirement_id,
        role=target.role,
        outcome=outcome,
        explanation=explanation,
        expected=details.get("expected", ""),
        seen=details.get("seen", ""),
        case_file=details.get("case_file"),
        examples=details.get("examples", 0),
        duration=details.get("duration", 0.0),
        deviation=target.deviation,
        processes=details.get("processes", {}),
        peer=next(((m.name, r) for r, m in target.peers.items()), None),
        not_exercised=tuple(details.get("not_exercised", ())),
    )


_CONFIG: dict[str, pytest.Config] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    _CONFIG["config"] = session.config


def pytest_sessionfinish(session: pytest.Session) -> None:
    run = session.config.stash.get(RUN_KEY, None)
    if run is None:
        return
    if hasattr(session.config, "workerinput"):
        session.config.workeroutput[SELECTED_OUTPUT] = run.selected_keys or []  # type: ignore[attr-defined]
        return
    from conformance import report
    from conformance.results import Implementation, report_document

    _judge_the_unjudged(run)
    ordered = [run.results[key] for key in run.targets if key in run.results]
    document = report_document(
        results=ordered,
        implementations=[
            Implementation(m.name, str(m.path), m.sha256, tuple(m.roles)) for m in run.manifests
        ],
        profile=run.profile,
        seed=run.options.seed,
        started=run.started,
        finished=dt.datetime.now(dt.UTC),
        run_errors=run.unattributed,
    )
    report.write(run.report_dir, document)
    session.config.stash[CONFORMS_KEY] = not run.unattributed and all(
        verdict is not False for verdict in document["conforms"].values()
    )


def _judge_the_unjudged(run: Run) -> None:
    """Every selected item ends with exactly one verdict: one that has none is an error.

    Without the list of selected items (every xdist worker lost), a count that does not
    add up fails the run as a whole.
    """
    if run.selected_keys is None:
        if run.selected > len(run.results):
            run.unattributed.append(
                f"{run.selected - len(run.results)} of {run.selected} selected items ended "
                "without a verdict (a crashed worker?); the run proves nothing about them"
            )
        return
    for key in run.selected_keys:
        if key not in run.results and key in run.targets:
            run.results[key] = _error_result(
                run.targets[key],
                "the item ended without a verdict (pytest reported no outcome for it: a "
                "crashed worker, or a bug in the harness); the run proves nothing about it",
            )


def _show_failures(terminalreporter: Any, results: list[ItemResult]) -> None:
    """Each failure's explanation and how to replay it (with --progress, instead of tracebacks)."""
    from conformance.model import Outcome

    for result in results:
        if result.outcome not in (Outcome.FAIL, Outcome.ERROR, Outcome.STALE):
            continue
        where = f"{result.role} of {result.implementation}"
        if result.peer is not None:
            where += f" -> {result.peer[1]} of {result.peer[0]}"
        terminalreporter.write_line("")
        terminalreporter.write_line(
            f"{result.outcome.value.upper()}: {result.requirement} [{where}]"
        )
        for line in result.explanation.splitlines()[:20]:
            terminalreporter.write_line(f"  {line}")
        if result.expected:
            terminalreporter.write_line(f"  expected: {result.expected}")
        if result.seen:
            terminalreporter.write_line(f"  seen:     {result.seen}")
        if result.case_file:
            terminalreporter.write_line(
                f"  replay:   python -m conformance replay {result.case_file}"
            )
    terminalreporter.write_line("")


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    run = config.stash.get(RUN_KEY, None)
    if run is None or hasattr(config, "workerinput") or not run.results:
        return
    from conformance.results import summary_table

    ordered = [run.results[key] for key in run.targets if key in run.results]
    terminalreporter.section("conformance summary")
    for line in summary_table(ordered):
        terminalreporter.write_line(line)
    for result in ordered:
        if result.peer is not None and result.outcome.value != "not implemented":
            terminalreporter.write_line(
                f"interop {result.implementation}:{result.role} -> "
                f"{result.peer[0]}:{result.peer[1]}: {result.outcome.value}"
            )
    for result in ordered:
        for note in result.not_exercised:
            terminalreporter.write_line(
                f"not exercised: {result.requirement} [{result.role}] of "
                f"{result.implementation}: {note}"
            )
    if config.getoption(PROGRESS_OPTION):
        _show_failures(terminalreporter, ordered)
    seed = run.options.seed
    terminalreporter.write_line(
        f"profile {run.profile!r}, "
        + ("derandomized" if seed is None else f"seed {seed}")
        + f"; report: {run.report_dir / 'report.html'}"
    )
