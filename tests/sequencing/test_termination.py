"""TB.2.1 exit action rules, TB.2.2 post condition rules, TB.2.3 termination requests."""

from __future__ import annotations

from scorm_player.packaging.model import MapInfo
from scorm_player.sequencing.objectives import local
from scorm_player.sequencing.termination import (
    sequencing_post_condition_rules,
    termination_request_process,
)
from tests.sequencing.builders import (
    FAILED,
    PASSED,
    cond,
    flow_course,
    item,
    objective,
    rule,
    sd,
    sequencer,
    tree,
)


def test_tb_2_3_without_current_activity_is_tb_2_3_1():
    seq = sequencer(flow_course("a"))
    assert termination_request_process(seq.ctx, "exit").exception == "TB.2.3-1"


def test_tb_2_3_exit_of_inactive_activity_is_tb_2_3_2():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    seq.navigate("exit")
    assert termination_request_process(seq.ctx, "exit").exception == "TB.2.3-2"
    assert termination_request_process(seq.ctx, "abandon").exception == "TB.2.3-2"


def test_tb_2_3_undefined_request_is_tb_2_3_7():
    seq = sequencer(flow_course("a"))
    seq.navigate("start")
    assert termination_request_process(seq.ctx, "pause").exception == "TB.2.3-7"


def test_tb_2_3_exit_of_leaf_ends_attempt_without_sequencing_request():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    result = termination_request_process(seq.ctx, "exit")
    assert (result.valid, result.sequencing) == (True, None)
    assert not seq.state.activities["a"].is_active


def test_tb_2_1_exit_rule_on_ancestor_exits_the_cluster():
    exit_when_satisfied = rule("exit", "exit", cond("satisfied"))
    course = tree(
        item("m1", item("a"), item("b"), seq=sd(flow=True, rules=[exit_when_satisfied],
                                               rollup_rules=[])),
        item("m2", item("c"), seq=sd(flow=True)),
        seq=sd(flow=True),
    )
    seq = sequencer(course)
    seq.navigate("start")
    # m1 has the default rollup: all children satisfied. Make it satisfied via a global-free
    # trick: b is skipped from rollup by not being required.
    seq.tree["b"].definition.rollup_controls.rollup_objective_satisfied = False
    seq.report_runtime("a", PASSED)
    outcome = seq.navigate("continue")
    # the exit rule on m1 fired: m1 ended and continue flowed on from m1, past b, to c
    assert outcome.delivered == "c"
    assert seq.state.activities["m1"].is_active is False


def test_tb_2_2_post_condition_retry_redelivers_the_activity():
    retry_unless_passed = rule("post", "retry", cond("satisfied", "not"))
    seq = sequencer(tree(item("a", seq=sd(rules=[retry_unless_passed], objective_set_by_content=True)),
                         item("b"), seq=sd(flow=True)))
    seq.navigate("start")
    seq.report_runtime("a", FAILED)
    outcome = seq.navigate("continue")
    assert outcome.delivered == "a"
    assert seq.state.activities["a"].attempt_count == 2
    seq.report_runtime("a", PASSED)
    assert seq.navigate("continue").delivered == "b"


def test_tb_2_2_post_condition_skipped_for_suspended_activity():
    seq = sequencer(tree(item("a", seq=sd(rules=[rule("post", "exitAll", cond("always"))])),
                         seq=sd(flow=True)))
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.exit": "suspend"})
    assert sequencing_post_condition_rules(seq.ctx).termination is None


def test_tb_2_2_retry_all_becomes_exit_all_then_retry():
    retry_all = rule("post", "retryAll", cond("satisfied", "not"))
    course = tree(item("a"), item("b", seq=sd(rules=[retry_all], objective_set_by_content=True)),
                  seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    seq.report_runtime("a", PASSED)
    seq.navigate("continue")
    seq.report_runtime("b", FAILED)
    outcome = seq.navigate("continue")
    assert outcome.delivered == "a"
    assert seq.state.activities["org"].attempt_count == 2
    assert seq.state.activities["a"].attempt_count == 2


def test_tb_2_3_exit_parent_post_condition_moves_up_and_continues():
    exit_parent = rule("post", "exitParent", cond("always"))
    course = tree(
        item("m1", item("a", seq=sd(rules=[exit_parent])), item("b"), seq=sd(flow=True)),
        item("m2", item("c"), seq=sd(flow=True)),
        seq=sd(flow=True),
    )
    seq = sequencer(course)
    seq.navigate("start")
    assert seq.navigate("continue").delivered == "c"  # b is never reached


def test_tb_2_3_exit_parent_at_root_is_tb_2_3_4():
    exit_parent = rule("post", "exitParent", cond("always"))
    seq = sequencer(tree(item("a", seq=sd(rules=[exit_parent])),
                         seq=sd(flow=True, rules=[exit_parent])))
    seq.navigate("start")
    assert seq.navigate("continue").exception == "TB.2.3-4"


def test_tb_2_3_exit_all_post_condition_ends_the_session():
    seq = sequencer(tree(item("a", seq=sd(rules=[rule("post", "exitAll", cond("always"))])),
                         item("b"), seq=sd(flow=True)))
    seq.navigate("start")
    outcome = seq.navigate("continue")
    assert outcome.session_ended and outcome.delivered is None


def test_tb_2_3_post_condition_continue_replaces_pending_request():
    go_on = rule("post", "continue", cond("always"))
    seq = sequencer(tree(item("a", seq=sd(rules=[go_on])), item("b"), seq=sd(flow=True)))
    seq.navigate("start")
    assert seq.navigate("exit").delivered == "b"


def test_tb_2_3_suspend_all_marks_the_path_suspended():
    course = tree(item("m1", item("a"), item("b"), seq=sd(flow=True)), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    outcome = seq.navigate("suspendAll")
    assert outcome.suspended and outcome.session_ended
    assert seq.suspended_activity == "a"
    for activity_id in ("a", "m1", "org"):
        state = seq.state.activities[activity_id]
        assert (state.is_active, state.is_suspended) == (False, True)


def test_tb_2_3_suspend_all_of_inactive_root_is_tb_2_3_3():
    seq = sequencer(flow_course("a"))
    seq.state.current_activity = "org"
    assert termination_request_process(seq.ctx, "suspendAll").exception == "TB.2.3-3"


def test_tb_2_3_abandon_does_not_roll_up_or_complete():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    seq.navigate("abandon")
    a = seq.state.activities["a"]
    assert (a.is_active, a.attempt_progress_status) == (False, False)
    assert seq.current_activity == "a"


def test_tb_2_3_abandon_all_ends_the_session():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    outcome = seq.navigate("abandonAll")
    assert outcome.session_ended
    assert seq.state.activities["a"].attempt_progress_status is False


def test_tb_2_3_abandon_forgets_what_the_abandoned_attempt_reported():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    seq.report_runtime("a", {**PASSED, "cmi.score.scaled": "0.9"})  # an earlier commit

    seq.navigate("abandon")

    a = seq.tree["a"]
    primary = local(seq.ctx, a, a.primary_objective)
    assert seq.state.activities["a"].attempt_progress_status is False
    assert (primary.progress_status, primary.measure_status) == (False, False)  # ADL RTE


def test_tb_2_3_abandon_all_makes_what_the_attempt_wrote_to_shared_objectives_unknown():
    writes = [MapInfo("shared", write_satisfied_status=True, write_normalized_measure=True)]
    course = tree(item("a", seq=sd(objectives=[objective("p", primary=True, maps=writes)])),
                  seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    seq.report_runtime("a", {**PASSED, "cmi.score.scaled": "0.9"})
    assert seq.global_objectives["shared"].progress_status is True

    seq.navigate("abandonAll")

    shared = seq.global_objectives["shared"]
    assert (shared.progress_status, shared.measure_status) == (False, False)
