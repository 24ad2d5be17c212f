"""SB.2.1 - SB.2.13: flow traversal and the sequencing request processes."""

from __future__ import annotations

from scorm_player.packaging.model import RandomizationControls
from scorm_player.sequencing.context import BACKWARD
from scorm_player.sequencing.flow import flow_tree_traversal
from scorm_player.sequencing.sequencing_request import (
    exit_sequencing_request,
    retry_sequencing_request,
    sequencing_request_process,
)
from tests.sequencing.builders import (
    PASSED,
    cond,
    flow_course,
    item,
    rule,
    sd,
    sequencer,
    tree,
)


def test_sb_2_12_undefined_request_is_sb_2_12_1():
    seq = sequencer(flow_course("a"))
    assert sequencing_request_process(seq.ctx, "sideways").exception == "SB.2.12-1"


def test_sb_2_5_start_flows_to_first_leaf_of_nested_clusters():
    course = tree(item("m1", item("a"), seq=sd(flow=True)), item("b"), seq=sd(flow=True))
    assert sequencer(course).navigate("start").delivered == "a"


def test_sb_2_5_start_delivers_a_leaf_root():
    course = tree()  # an organization with no items is a leaf root
    assert sequencing_request_process(sequencer(course).ctx, "start").delivery.id == "org"


def test_sb_2_5_start_after_session_began_is_sb_2_5_1():
    seq = sequencer(flow_course("a"))
    seq.navigate("start")
    assert sequencing_request_process(seq.ctx, "start").exception == "SB.2.5-1"


def test_sb_2_5_start_without_flow_is_sb_2_2_1():
    assert sequencer(tree(item("a"))).navigate("start").exception == "SB.2.2-1"


def test_sb_2_6_resume_all_codes():
    seq = sequencer(flow_course("a"))
    assert sequencing_request_process(seq.ctx, "resumeAll").exception == "SB.2.6-2"
    seq.navigate("start")
    assert sequencing_request_process(seq.ctx, "resumeAll").exception == "SB.2.6-1"


def test_sb_2_7_continue_codes():
    seq = sequencer(tree(item("a"), item("b")))
    assert sequencing_request_process(seq.ctx, "continue").exception == "SB.2.7-1"
    seq.navigate("choice", "a")
    assert sequencing_request_process(seq.ctx, "continue").exception == "SB.2.7-2"
    assert sequencing_request_process(seq.ctx, "previous").exception == "SB.2.8-2"


def test_sb_2_8_previous_not_begun_is_sb_2_8_1():
    seq = sequencer(flow_course("a"))
    assert sequencing_request_process(seq.ctx, "previous").exception == "SB.2.8-1"


def test_sb_2_7_continue_from_last_leaf_ends_session_not_error():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    seq.navigate("continue")
    outcome = seq.navigate("continue")
    assert outcome.valid and outcome.session_ended and outcome.reason == "SB.2.1-1"
    assert seq.current_activity is None
    assert seq.state.activities["org"].is_active is False


def test_sb_2_8_previous_from_first_leaf_is_sb_2_1_3():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    assert seq.navigate("previous").exception == "SB.2.1-3"


def test_sb_2_1_backward_from_leaf_of_forward_only_cluster_is_sb_2_1_4():
    course = tree(item("m", item("a"), item("b"), seq=sd(flow=True, forward_only=True)),
                  seq=sd(flow=True))
    seq = sequencer(course)
    result = flow_tree_traversal(seq.ctx, seq.tree["b"], BACKWARD, False)
    assert result.exception == "SB.2.1-4"


def test_sb_2_1_cluster_without_available_children_is_sb_2_1_2():
    empty_pool = RandomizationControls(selection_timing="once", select_count=0)
    course = tree(item("m", item("a"), seq=sd(flow=True, randomization=empty_pool)),
                  seq=sd(flow=True))
    assert sequencer(course).navigate("start").exception == "SB.2.1-2"


def test_sb_2_1_backward_into_forward_only_cluster_goes_to_its_first_child():
    course = tree(
        item("m", item("a"), item("b"), seq=sd(flow=True, forward_only=True)),
        item("c"),
        seq=sd(flow=True),
    )
    seq = sequencer(course)
    seq.navigate("start")
    seq.navigate("continue")
    assert seq.navigate("continue").delivered == "c"
    assert seq.navigate("previous").delivered == "a"  # not the last child b


def test_sb_2_2_skip_rule_continues_in_same_direction():
    skip = rule("pre", "skip", cond("always"))
    course = tree(item("a"), item("b", seq=sd(rules=[skip])), item("c"), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    assert seq.navigate("continue").delivered == "c"
    assert seq.navigate("previous").delivered == "a"


def test_sb_2_2_disabled_activity_is_sb_2_2_2():
    disabled = rule("pre", "disabled", cond("always"))
    course = tree(item("a"), item("b", seq=sd(rules=[disabled])), item("c"), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    assert seq.navigate("continue").exception == "SB.2.2-2"


def test_sb_2_2_hidden_rules_are_reevaluated_each_time():
    skip_if_a_done = rule("pre", "skip", cond("completed"))
    course = tree(item("a"), item("b", seq=sd(rules=[skip_if_a_done])), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    assert seq.navigate("continue").delivered == "b"  # b not completed yet: delivered
    seq.report_runtime("b", {"cmi.completion_status": "completed"})
    seq.navigate("previous")
    outcome = seq.navigate("continue")  # now b is skipped: past the end
    assert outcome.session_ended


def test_sb_2_2_attempt_limit_reached_is_sb_2_2_2():
    course = tree(item("a", seq=sd(attempt_limit=1)), item("b"), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    seq.navigate("continue")
    assert seq.navigate("previous").exception == "SB.2.2-2"


def test_sb_2_2_attempt_limit_zero_is_never_deliverable():
    course = tree(item("a", seq=sd(attempt_limit=0)), item("b"), seq=sd(flow=True))
    assert sequencer(course).navigate("start").exception == "SB.2.2-2"


def test_sb_2_10_retry_codes():
    seq = sequencer(flow_course("a"))
    assert retry_sequencing_request(seq.ctx).exception == "SB.2.10-1"
    seq.navigate("start")
    assert retry_sequencing_request(seq.ctx).exception == "SB.2.10-2"


def test_sb_2_10_retry_of_cluster_without_flow_is_sb_2_10_3():
    course = tree(item("m", item("a")), seq=sd(flow=True))
    seq = sequencer(course)
    seq.state.current_activity = "m"
    assert retry_sequencing_request(seq.ctx).exception == "SB.2.10-3"


def test_sb_2_11_exit_codes():
    seq = sequencer(flow_course("a"))
    assert exit_sequencing_request(seq.ctx).exception == "SB.2.11-1"
    seq.navigate("start")
    assert exit_sequencing_request(seq.ctx).exception == "SB.2.11-2"


def test_sb_2_11_exit_of_leaf_delivers_nothing_and_keeps_session():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    outcome = seq.navigate("exit")
    assert (outcome.delivered, outcome.session_ended, outcome.exception) == (None, False, None)
    assert seq.current_activity == "a"


def test_sb_2_11_exit_all_ends_the_session_at_the_root():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    seq.report_runtime("a", PASSED)
    outcome = seq.navigate("exitAll")
    assert outcome.session_ended
    assert seq.navigate("start").delivered == "a"  # a new session may begin


def test_sb_2_13_jump_delivers_target_ignoring_control_modes():
    course = tree(item("a"), item("b"), item("c"), seq=sd(flow=False, choice=False))
    seq = sequencer(course)
    seq.ctx.tree.root.definition.control_mode.flow = True
    seq.navigate("start")
    seq.ctx.tree.root.definition.control_mode.flow = False
    assert seq.navigate("{target=c}jump").delivered == "c"


def test_sb_2_13_jump_to_cluster_is_db_1_1_1():
    course = tree(item("a"), item("m", item("b")), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    assert seq.navigate("jump", "m").exception == "DB.1.1-1"


def test_sb_2_13_jump_without_session_is_nb_2_1_2():
    seq = sequencer(flow_course("a"))
    assert seq.navigate("jump", "a").exception == "NB.2.1-2"
