"""SR.1 Select Children and SR.2 Randomize Children, with their timings."""

from __future__ import annotations

import random

from scorm_player.packaging.model import RandomizationControls
from scorm_player.sequencing.selection import randomize_children, select_children
from tests.sequencing.builders import item, sd, sequencer, tree

POOL = [item(f"q{i}") for i in range(6)]


def _pool(controls):
    return tree(item("pool", *POOL, seq=sd(flow=True, randomization=controls)),
                seq=sd(flow=True))


def test_sr_1_select_count_keeps_document_order():
    seq = sequencer(_pool(RandomizationControls(selection_timing="once", select_count=3)))
    chosen = seq.state.activities["pool"].available_children
    assert len(chosen) == 3 and chosen == sorted(chosen)


def test_sr_1_never_keeps_all_children():
    seq = sequencer(_pool(RandomizationControls(select_count=3)))
    assert seq.state.activities["pool"].available_children is None


def test_sr_1_once_is_not_reapplied_after_first_attempt():
    seq = sequencer(_pool(RandomizationControls(selection_timing="once", select_count=2)))
    before = list(seq.state.activities["pool"].available_children)
    seq.navigate("start")
    seq.navigate("exitAll")
    select_children(seq.tree, seq.state, seq.tree["pool"], random.Random(99))
    assert seq.state.activities["pool"].available_children == before


def test_sr_2_randomize_children_reorders_with_injected_rng():
    controls = RandomizationControls(randomization_timing="once", reorder_children=True)
    first = sequencer(_pool(controls), seed=5).state.activities["pool"].available_children
    again = sequencer(_pool(controls), seed=5).state.activities["pool"].available_children
    assert first == again and sorted(first) == [f"q{i}" for i in range(6)]


def test_sr_2_not_applied_to_active_cluster():
    controls = RandomizationControls(randomization_timing="onEachNewAttempt",
                                     reorder_children=True)
    seq = sequencer(_pool(controls))
    seq.navigate("start")
    before = list(seq.state.activities["pool"].available_children)
    randomize_children(seq.tree, seq.state, seq.tree["pool"], random.Random(7))
    assert seq.state.activities["pool"].available_children == before


def test_sr_on_each_new_attempt_reselects_but_not_on_resume():
    controls = RandomizationControls(selection_timing="onEachNewAttempt", select_count=2,
                                     randomization_timing="onEachNewAttempt",
                                     reorder_children=True)
    seq = sequencer(_pool(controls), seed=2)
    seq.navigate("start")
    first = list(seq.state.activities["pool"].available_children)
    seq.navigate("suspendAll")
    seq.navigate("resumeAll")
    assert seq.state.activities["pool"].available_children == first  # resume: same pool
    seen = {tuple(first)}
    for _ in range(6):
        seq.navigate("exitAll")
        seq.navigate("start")
        seen.add(tuple(seq.state.activities["pool"].available_children))
    assert len(seen) > 1
