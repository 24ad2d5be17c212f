"""RB.1.1 - RB.1.5: measure, completion measure, objective and progress rollup."""

from __future__ import annotations

import pytest

from scorm_player.packaging.model import CompletionThreshold, RollupConsiderations
from scorm_player.sequencing.objectives import primary
from scorm_player.sequencing.rollup import (
    check_child_for_rollup,
    completion_measure_rollup,
    measure_rollup,
    overall_rollup,
    rollup_rule_check,
)
from tests.sequencing.builders import (
    FAILED,
    PASSED,
    cond,
    item,
    objective,
    rollup,
    rule,
    sd,
    sequencer,
    tree,
)


def _course(*children, **root):
    return sequencer(tree(*children, seq=sd(flow=True, **root)))


def _scored(seq, activity_id, scaled):
    seq.report_runtime(activity_id, {"cmi.score.scaled": str(scaled)})


def test_rb_1_1a_measure_rollup_is_weighted_mean():
    seq = _course(item("a", seq=sd(weight=3.0)), item("b", seq=sd(weight=1.0)))
    _scored(seq, "a", 1.0)
    _scored(seq, "b", 0.2)
    root = primary(seq.ctx, seq.tree.root)
    assert root.measure_status and root.normalized_measure == pytest.approx(0.8)


def test_rb_1_1a_unknown_measure_children_stay_in_the_denominator():
    seq = _course(item("a"), item("b"))
    _scored(seq, "a", 0.8)
    assert primary(seq.ctx, seq.tree.root).normalized_measure == pytest.approx(0.4)


def test_rb_1_1a_no_known_measure_is_unknown():
    seq = _course(item("a"), item("b"))
    measure_rollup(seq.ctx, seq.tree.root)
    assert primary(seq.ctx, seq.tree.root).measure_status is False


def test_rb_1_1a_untracked_children_do_not_count():
    seq = _course(item("a"), item("b", seq=sd(tracked=False)))
    _scored(seq, "a", 0.6)
    assert primary(seq.ctx, seq.tree.root).normalized_measure == pytest.approx(0.6)


def test_rb_1_1b_completion_measure_weighted_by_progress_weight():
    seq = _course(
        item("a", threshold=CompletionThreshold(progress_weight=3.0)),
        item("b", threshold=CompletionThreshold(progress_weight=1.0)),
    )
    seq.report_runtime("a", {"cmi.progress_measure": "1"})
    seq.report_runtime("b", {"cmi.progress_measure": "0"})
    completion_measure_rollup(seq.ctx, seq.tree.root)
    root = seq.state.activities["org"]
    assert root.attempt_completion_amount_status
    assert root.attempt_completion_amount == pytest.approx(0.75)


def test_rb_1_3a_completed_by_measure_uses_min_progress_measure():
    course = tree(item("a"), item("b"), seq=sd(flow=True))
    course.root.completion_threshold = CompletionThreshold(True, 0.5, 1.0)
    seq = sequencer(course)
    seq.report_runtime("a", {"cmi.progress_measure": "1"})
    root = seq.state.activities["org"]
    assert (root.attempt_progress_status, root.attempt_completion_status) == (True, True)


def test_rb_1_2a_objective_rollup_using_measure():
    seq = _course(item("a"), item("b"),
                  objectives=[objective(primary=True, by_measure=True, min_measure=0.5)])
    _scored(seq, "a", 0.9)
    _scored(seq, "b", 0.3)
    root = primary(seq.ctx, seq.tree.root)
    assert (root.progress_status, root.satisfied_status) == (True, True)  # 0.6 >= 0.5


def test_rb_1_2a_measure_satisfaction_if_active_false_leaves_status_unknown():
    considerations = RollupConsiderations(measure_satisfaction_if_active=False)
    seq = _course(item("a"), considerations=considerations,
                  objectives=[objective(primary=True, by_measure=True, min_measure=0.5)])
    seq.navigate("start")  # root is active now
    _scored(seq, "a", 0.9)
    assert primary(seq.ctx, seq.tree.root).progress_status is False


def test_rb_1_2c_default_rollup_satisfied_only_when_all_known_and_satisfied():
    seq = _course(item("a"), item("b"))
    seq.report_runtime("a", PASSED)
    assert primary(seq.ctx, seq.tree.root).progress_status is False  # b unknown: nothing
    seq.report_runtime("b", FAILED)
    root = primary(seq.ctx, seq.tree.root)
    assert (root.progress_status, root.satisfied_status) == (True, False)
    seq.report_runtime("b", PASSED)
    assert primary(seq.ctx, seq.tree.root).satisfied_status is True


def test_rb_1_3c_default_progress_rollup():
    seq = _course(item("a"), item("b"))
    seq.report_runtime("a", {"cmi.completion_status": "completed"})
    assert seq.state.activities["org"].attempt_progress_status is False
    seq.report_runtime("b", {"cmi.completion_status": "incomplete"})
    assert seq.state.activities["org"].attempt_completion_status is False
    seq.report_runtime("b", {"cmi.completion_status": "completed"})
    assert seq.state.activities["org"].attempt_completion_status is True


def test_rb_1_2b_positive_rule_wins_over_not_satisfied():
    rules = [rollup("notSatisfied", "attempted", child_set="any"),
             rollup("satisfied", "satisfied", child_set="any")]
    seq = _course(item("a"), item("b"), rollup_rules=rules)
    seq.navigate("start")
    seq.report_runtime("a", PASSED)
    root = primary(seq.ctx, seq.tree.root)
    assert (root.progress_status, root.satisfied_status) == (True, True)


def test_rb_1_4_rollup_condition_combination_defaults_to_any():
    rules = [rollup("satisfied", "satisfied", "completed", child_set="all")]
    seq = _course(item("a"), rollup_rules=rules)
    seq.report_runtime("a", {"cmi.completion_status": "completed"})  # satisfied unknown
    assert primary(seq.ctx, seq.tree.root).satisfied_status is True


def test_rb_1_4_none_needs_every_child_false_not_unknown():
    rules = [rollup("notSatisfied", "satisfied", child_set="none")]
    seq = _course(item("a"), item("b"), rollup_rules=rules)
    seq.report_runtime("a", FAILED)
    assert not rollup_rule_check(seq.ctx, seq.tree.root, "notSatisfied", rules)  # b unknown
    seq.report_runtime("b", FAILED)
    assert rollup_rule_check(seq.ctx, seq.tree.root, "notSatisfied", rules)


@pytest.mark.parametrize(
    ("child_set", "count", "percent", "fires"),
    [("atLeastCount", 2, 0.0, True), ("atLeastCount", 3, 0.0, False),
     ("atLeastPercent", 0, 0.6, True), ("atLeastPercent", 0, 0.7, False),
     ("any", 0, 0.0, True), ("all", 0, 0.0, False)],
)
def test_rb_1_4_child_activity_sets(child_set, count, percent, fires):
    rules = [rollup("satisfied", "satisfied", child_set=child_set, count=count, percent=percent)]
    seq = _course(item("a"), item("b"), item("c"), rollup_rules=rules)
    seq.report_runtime("a", PASSED)
    seq.report_runtime("b", PASSED)
    seq.report_runtime("c", FAILED)
    assert rollup_rule_check(seq.ctx, seq.tree.root, "satisfied", rules) is fires


@pytest.mark.parametrize(
    ("child_set", "fires"),
    [("all", True), ("none", True), ("any", False), ("atLeastCount", False),
     ("atLeastPercent", False)],
)
def test_rb_1_4_rule_with_no_contributing_child_fires_for_all_and_none(child_set, fires):
    """No child is left to say otherwise (ADL's RTE: CTS RU-11, RU-15b)."""
    rules = [rollup("satisfied", "satisfied", child_set=child_set, count=1, percent=0.5)]
    seq = _course(item("a", seq=sd(rollup_satisfied=False)), rollup_rules=rules)
    seq.report_runtime("a", PASSED)
    assert rollup_rule_check(seq.ctx, seq.tree.root, "satisfied", rules) is fires


def test_rb_1_4_2_rollup_objective_satisfied_false_excludes_child():
    seq = _course(item("a"), item("b", seq=sd(rollup_satisfied=False)))
    seq.report_runtime("a", PASSED)
    assert primary(seq.ctx, seq.tree.root).satisfied_status is True


def test_rb_1_4_2_if_attempted_excludes_unattempted_child():
    considerations = RollupConsiderations(required_for_satisfied="ifAttempted",
                                          required_for_not_satisfied="ifAttempted")
    seq = _course(item("a"), item("b", seq=sd(considerations=considerations)))
    assert not check_child_for_rollup(seq.ctx, seq.tree["b"], "satisfied")
    seq.navigate("start")
    seq.report_runtime("a", PASSED)
    assert primary(seq.ctx, seq.tree.root).satisfied_status is True


def test_rb_1_4_2_if_not_skipped_excludes_skipped_child():
    considerations = RollupConsiderations(required_for_completed="ifNotSkipped")
    skip = rule("pre", "skip", cond("always"))
    seq = _course(item("a"), item("b", seq=sd(rules=[skip], considerations=considerations)))
    assert not check_child_for_rollup(seq.ctx, seq.tree["b"], "completed")
    assert check_child_for_rollup(seq.ctx, seq.tree["b"], "incomplete")


def test_rb_1_4_2_if_not_suspended_excludes_suspended_child():
    considerations = RollupConsiderations(required_for_incomplete="ifNotSuspended")
    seq = _course(item("a", seq=sd(considerations=considerations)), item("b"))
    seq.navigate("start")
    assert check_child_for_rollup(seq.ctx, seq.tree["a"], "incomplete")
    seq.report_runtime("a", {"cmi.exit": "suspend"})
    assert not check_child_for_rollup(seq.ctx, seq.tree["a"], "incomplete")


def test_rb_1_5_overall_rollup_reaches_the_root_through_clusters():
    seq = sequencer(tree(item("m", item("a"), seq=sd(flow=True)), seq=sd(flow=True)))
    seq.report_runtime("a", PASSED)
    overall_rollup(seq.ctx, seq.tree["a"])
    assert primary(seq.ctx, seq.tree.root).satisfied_status is True
    assert seq.state.activities["org"].attempt_completion_status is True


def test_rb_1_5_an_untracked_cluster_records_no_rollup():
    untracked = sd(flow=True, tracked=False, rollup_rules=[rollup("completed", "satisfied")])
    seq = _course(item("m", item("a"), item("b"), seq=untracked))
    for leaf in ("a", "b"):
        seq.report_runtime(leaf, PASSED)

    m = seq.state.activities["m"]
    assert (m.attempt_progress_status, primary(seq.ctx, seq.tree["m"]).progress_status) == (
        False, False,
    )
