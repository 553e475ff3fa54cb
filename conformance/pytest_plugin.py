"""pytest plugin: ``pytest --impl PATH/manifest.toml`` runs the conformance suite.

``--impl`` may be given several times to compare implementations; each
requirement x role x implementation is one test item (so ``-k``, ``-n`` from
pytest-xdist and JUnit XML work as usual). A role the manifest does not list is
skipped as "not implemented"; a requirement in its ``expected_failures`` is an
xfail ("known deviation"), and an xpass there is a stale deviation.
Kept import-light: nothing heavy is imported unless ``--impl`` is given.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from hypothesis import settings as Settings

IMPL_OPTION = "--impl"
PROFILE_OPTION = "--profile"
SEED_OPTION = "--hypothesis-seed"
SUITE = Path(__file__).with_name("suite.py")

SETTINGS_KEY = pytest.StashKey["Settings"]()
TARGETS_KEY = pytest.StashKey[list[Any]]()
SEED_KEY = pytest.StashKey[int | None]()
PROFILE_KEY = pytest.StashKey[str]()


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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "conformance: an item of the conformance suite")
    if not config.getoption(IMPL_OPTION):
        return
    from conformance.manifest import ManifestError, load_manifest, run_setup
    from conformance.profiles import profile
    from conformance.properties.registry import targets_for

    try:
        manifests = [load_manifest(path) for path in config.getoption(IMPL_OPTION)]
        name, settings = profile(config.getoption(PROFILE_OPTION))
    except (ManifestError, ValueError) as error:
        raise pytest.UsageError(str(error)) from None
    if not hasattr(config, "workerinput"):  # the controller (or a run without xdist)
        for manifest in manifests:
            run_setup(manifest)
    config.stash[PROFILE_KEY] = name
    config.stash[SETTINGS_KEY] = settings
    config.stash[SEED_KEY] = _choose_seed(config, settings)
    config.stash[TARGETS_KEY] = [target for m in manifests for target in targets_for(m)]
    if config.args_source == pytest.Config.ArgsSource.TESTPATHS or not config.args:
        config.args[:] = [str(SUITE)]


def _choose_seed(config: pytest.Config, settings: Settings) -> int | None:
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
    seed = node.config.stash.get(SEED_KEY, None)
    if seed is not None:
        node.workerinput["conformance_seed"] = seed


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    if TARGETS_KEY not in config.stash:
        return None
    seed = config.stash[SEED_KEY]
    names = ", ".join(sorted({t.manifest.name for t in config.stash[TARGETS_KEY]}))
    how = "derandomized" if seed is None else f"seed {seed} (reproduce with {SEED_OPTION}={seed})"
    return [f"conformance: profile {config.stash[PROFILE_KEY]!r}, {how}; implementations: {names}"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "conformance_target" not in metafunc.fixturenames:
        return
    targets = metafunc.config.stash.get(TARGETS_KEY, [])
    params = []
    for target in targets:
        marks: list[pytest.MarkDecorator] = [pytest.mark.conformance]
        if not target.implemented:
            marks.append(pytest.mark.skip(reason=f"not implemented: no role {target.role!r}"))
        elif target.deviation is not None:
            marks.append(pytest.mark.xfail(reason=f"known deviation: {target.deviation}"))
        params.append(pytest.param(target, id=target.id, marks=marks))
    metafunc.parametrize("conformance_target", params)
