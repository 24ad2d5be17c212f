"""UP.1 - UP.5 and the three-valued rule logic."""

from __future__ import annotations

import pytest

from scorm_player.sequencing.objectives import primary
from scorm_player.sequencing.utility import (
    check_activity,
    end_attempt,
    limit_conditions_check,
    sequencing_rule_check,
    sequencing_rules_check,
    tri_all,
    tri_any,
    tri_not,
)
from tests.sequencing.builders import PASSED, cond, flow_course, item, rule, sd, sequencer, tree


@pytest.mark.parametrize(
    ("values", "all_", "any_"),
    [([True, True], True, True), ([True, None], None, True), ([False, None], False, None),
     ([None], None, None), ([False, False], False, False)],
)
def test_up_2_1_three_valued_combinations(values, all_, any_):
    assert (tri_all(values), tri_any(values)) == (all_, any_)


def test_up_2_1_not_unknown_is_unknown():
    assert tri_not(None) is None and tri_not(True) is False


def test_up_2_1_satisfied_of_unknown_objective_is_unknown():
    seq = sequencer(flow_course("a"))
    a = seq.tree["a"]
    assert sequencing_rule_check(seq.ctx, a, rule("pre", "skip", cond("satisfied"))) is None
    not_satisfied = rule("pre", "skip", cond("satisfied", "not"))
    assert sequencing_rule_check(seq.ctx, a, not_satisfied) is None
    known = rule("pre", "skip", cond("objectiveStatusKnown", "not"))
    assert sequencing_rule_check(seq.ctx, a, known) is True


def test_up_2_1_measure_threshold_conditions():
    seq = sequencer(flow_course("a"))
    seq.report_runtime("a", {"cmi.score.scaled": "0.4"})
    a = seq.tree["a"]
    over = rule("pre", "skip", cond("objectiveMeasureGreaterThan", threshold=0.3))
    under = rule("pre", "skip", cond("objectiveMeasureLessThan", threshold=0.3))
    assert sequencing_rule_check(seq.ctx, a, over) is True
    assert sequencing_rule_check(seq.ctx, a, under) is False


def test_up_2_1_referenced_objective_is_used():
    from tests.sequencing.builders import objective

    seq = sequencer(tree(item("a", seq=sd(objectives=[objective("p", primary=True),
                                                        objective("extra")])),
                         seq=sd(flow=True)))
    seq.report_runtime("a", {"cmi.objectives.0.id": "extra",
                             "cmi.objectives.0.success_status": "passed"})
    check = rule("pre", "skip", cond("satisfied", objective="extra"))
    assert sequencing_rule_check(seq.ctx, seq.tree["a"], check) is True
    assert primary(seq.ctx, seq.tree["a"]).progress_status is False


def test_up_2_first_rule_in_document_order_fires():
    rules = [rule("post", "continue", cond("always")), rule("post", "retry", cond("always"))]
    seq = sequencer(tree(item("a", seq=sd(rules=rules)), seq=sd(flow=True)))
    assert sequencing_rules_check(seq.ctx, seq.tree["a"], "post", ("continue", "retry")) == (
        "continue")


def test_up_1_absent_attempt_limit_is_unlimited():
    seq = sequencer(flow_course("a"))
    seq.state.activities["a"].attempt_count = 99
    assert limit_conditions_check(seq.ctx, seq.tree["a"]) is False


def test_up_1_attempt_limit_zero_is_an_active_limit():
    seq = sequencer(tree(item("a", seq=sd(attempt_limit=0)), seq=sd(flow=True)))
    assert limit_conditions_check(seq.ctx, seq.tree["a"]) is True
    assert check_activity(seq.ctx, seq.tree["a"]) is True


def test_up_1_active_activity_is_never_over_its_limit():
    seq = sequencer(tree(item("a", seq=sd(attempt_limit=1)), seq=sd(flow=True)))
    seq.navigate("start")
    assert limit_conditions_check(seq.ctx, seq.tree["a"]) is False


def test_up_4_end_attempt_completes_and_satisfies_when_content_did_not():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    end_attempt(seq.ctx, seq.tree["a"])
    a = seq.state.activities["a"]
    assert (a.attempt_progress_status, a.attempt_completion_status) == (True, True)
    assert primary(seq.ctx, seq.tree["a"]).satisfied_status is True


def test_up_4_end_attempt_keeps_status_the_content_set():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.completion_status": "incomplete",
                             "cmi.success_status": "failed"})
    end_attempt(seq.ctx, seq.tree["a"])
    assert seq.state.activities["a"].attempt_completion_status is False
    assert primary(seq.ctx, seq.tree["a"]).satisfied_status is False


def test_up_4_set_by_content_leaves_unknown_status_unknown():
    course = tree(item("a", seq=sd(completion_set_by_content=True,
                                   objective_set_by_content=True)), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    end_attempt(seq.ctx, seq.tree["a"])
    assert seq.state.activities["a"].attempt_progress_status is False
    assert primary(seq.ctx, seq.tree["a"]).progress_status is False


def test_up_4_suspended_or_untracked_leaf_is_not_auto_completed():
    seq = sequencer(tree(item("a"), item("b", seq=sd(tracked=False)), seq=sd(flow=True)))
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.exit": "suspend"})
    end_attempt(seq.ctx, seq.tree["a"])
    end_attempt(seq.ctx, seq.tree["b"])
    assert seq.state.activities["a"].attempt_progress_status is False
    assert seq.state.activities["b"].attempt_progress_status is False
    assert seq.state.activities["org"].is_suspended is False  # not yet ended


def test_up_4_cluster_is_suspended_when_a_child_is():
    seq = sequencer(tree(item("m", item("a"), seq=sd(flow=True)), seq=sd(flow=True)))
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.exit": "suspend"})
    end_attempt(seq.ctx, seq.tree["a"])
    end_attempt(seq.ctx, seq.tree["m"])
    assert seq.state.activities["m"].is_suspended is True


def test_up_3_terminate_descendent_attempts_ends_between_current_and_common():
    course = tree(item("m", item("n", item("a"), seq=sd(flow=True)), seq=sd(flow=True)),
                  item("b"), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    seq.report_runtime("a", PASSED)
    seq.navigate("continue")
    states = seq.state.activities
    assert (states["n"].is_active, states["m"].is_active, states["org"].is_active) == (
        False, False, True)
