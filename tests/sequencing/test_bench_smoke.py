"""bench/sequencing_bench.py still runs: its course generator and each timed operation at
size 100, no timing asserted (the figures are for people, printed by the bench itself)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "sequencing_bench.py"


@pytest.fixture(scope="module", name="bench")
def bench_fixture() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sequencing_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_course_generator_builds_the_requested_size(bench: ModuleType) -> None:
    course = bench.build_course(100)
    assert sum(1 for _ in course) == 100
    assert any(a.definition.rules for a in course) and any(a.objectives for a in course)


def test_every_operation_runs_on_the_mid_course_state(bench: ModuleType) -> None:
    sequencer = bench.mid_course(bench.build_course(100))
    for name, call in bench.operations(sequencer).items():
        scratch = bench.fork(sequencer)
        call(scratch)
        assert name in bench.OPERATIONS
    assert bench.fork(sequencer).navigate("choice", bench.far_leaf(sequencer.tree)).delivered


def test_one_timed_size_reports(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    results = bench.bench_size(100, runs=1, budget=0.0)
    bench.report({100: results})
    assert "toc" in capsys.readouterr().out
