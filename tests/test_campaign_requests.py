"""The fuzz campaign's request generator and its criteria (bench/fuzz_requests.py,
bench/campaign_report.py): reproducible, varied, and judged by the oracle it claims."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bench.campaign_judge import FORBIDDEN, expect_request
from bench.campaign_report import fds_leaked, render_columns, rss_cell, rss_grew
from bench.fuzz_requests import ZMTP_SIGNATURE, RequestGenerator
from bench.fuzz_tree import Tree, build_tree
from conformance.checks.reqrep import BAD_REQUESTS


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    return build_tree(tmp_path_factory.mktemp("fuzz"))


def test_the_same_seed_draws_the_same_requests(tree: Tree) -> None:
    one, two = RequestGenerator(tree, "7/filer-rep"), RequestGenerator(tree, "7/filer-rep")
    drawn = [(one.next(), two.next()) for _ in range(300)]
    assert all(a == b for a, b in drawn)
    other = RequestGenerator(tree, "8/filer-rep")
    assert [other.next() for _ in range(50)] != [pair[0] for pair in drawn[:50]]


def test_the_requests_are_varied_and_cover_every_suite_kind(tree: Tree) -> None:
    generator = RequestGenerator(tree, 1)
    families = Counter(generator.next().family for _ in range(3000))
    kinds = {family.removeprefix("suite-kind/") for family in families if "suite-kind/" in family}
    assert kinds == set(tree.kinds)
    for family in (
        "good",
        "escape/relative",
        "path/plain",
        "path/nul",
        "path/surrogate",
        "json/value",
        "frames/some",
        "lenient-json/utf-16",
        "deep/within-limit",
    ):
        assert families[family] > 0, family


def test_each_request_carries_what_the_oracle_says_of_its_frames(tree: Tree) -> None:
    generator = RequestGenerator(tree, 3)
    for _ in range(500):
        request = generator.next()
        if request.family.startswith(("suite-kind/", "good", "escape/", "huge/multipart")):
            continue  # expectations known by construction, exact
        assert request.expected == expect_request(request.frames, generator.oracle)


def test_suite_kinds_carry_the_suite_code_and_escapes_are_forbidden(tree: Tree) -> None:
    generator = RequestGenerator(tree, 4)
    for _ in range(500):
        request = generator.next()
        if request.family.startswith("suite-kind/"):
            code = BAD_REQUESTS[request.family.removeprefix("suite-kind/")]
            assert request.expected.codes == ({code} if code else request.expected.codes)
        elif request.family.startswith("escape/"):
            assert request.expected == FORBIDDEN


def test_no_request_may_be_answered_with_a_text_from_outside_the_root(tree: Tree) -> None:
    outside = {
        path.read_text()
        for path in (tree.base / "canary.txt", tree.base / "outside" / "outside.txt")
    }
    generator = RequestGenerator(tree, 5)
    for _ in range(500):
        assert not generator.next().expected.contents & outside


def test_raw_garbage_and_nesting_past_the_limits_are_drawn_apart(tree: Tree) -> None:
    generator = RequestGenerator(tree, 6)
    drawn = [generator.next() for _ in range(2000)]
    assert not any(request.raw for request in drawn)
    assert not any(request.family == "deep/over-limit" for request in drawn)
    assert generator.over_limit().family == "deep/over-limit"
    garbage = [generator.raw() for _ in range(50)]
    assert all(item.raw and len(item.frames) == 1 for item in garbage)
    assert any(item.frames[0].startswith(ZMTP_SIGNATURE) for item in garbage)


def test_the_tree_keeps_its_canaries_outside_the_root(tree: Tree) -> None:
    for canary in tree.canaries:
        assert not canary.resolve().is_relative_to(tree.root.resolve())
    assert len(set(tree.texts.values())) == len(tree.texts), "texts are distinct"
    assert (tree.root / "link-canary").resolve() == (tree.base / "canary.txt").resolve()


# --------------------------------------------------------------------------- criteria


def test_rss_may_shrink_or_grow_up_to_20_percent() -> None:
    assert not rss_grew(100_000, 120_000)
    assert rss_grew(100_000, 120_001)
    assert not rss_grew(100_000, 50_000), "a shrink is not a leak"
    assert not rss_grew(None, 500_000), "unknown decides nothing"


def test_fds_leak_when_more_are_open_at_the_end() -> None:
    assert fds_leaked(10, 11)
    assert not fds_leaked(10, 10)
    assert not fds_leaked(None, 11)


def test_the_table_has_a_line_per_row_and_a_column_per_run() -> None:
    table = render_columns(["requests", "RSS"], {"a": {"requests": "10"}, "bb": {"RSS": "1.0"}})
    lines = table.splitlines()
    assert len(lines) == 4
    assert lines[0].split() == ["a", "bb"]
    assert lines[2].split() == ["requests", "10"]
    assert rss_cell(1024, 2048, 3072) == "1.0 / 2.0 / 3.0 (+50%)"
    assert rss_cell(None, None, 1024) == "- / - / 1.0"


def test_paths_in_the_tree_are_what_its_description_says(tree: Tree) -> None:
    for relative, text in tree.texts.items():
        assert (tree.root / relative).read_bytes().decode("utf-8") == text
    assert all((tree.root / Path(d)).is_dir() for d in tree.directories)
