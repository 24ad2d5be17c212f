"""DB.1.1 Delivery Request, DB.2 Content Delivery Environment, DB.2.1 Clear Suspended."""

from __future__ import annotations

from scorm_player.sequencing.delivery import (
    clear_suspended_activity,
    content_delivery_environment_process,
    delivery_request_process,
)
from scorm_player.sequencing.objectives import primary
from tests.sequencing.builders import PASSED, cond, flow_course, item, rule, sd, sequencer, tree


def test_db_1_1_cluster_is_db_1_1_1():
    seq = sequencer(tree(item("m", item("a")), seq=sd(flow=True)))
    assert delivery_request_process(seq.ctx, seq.tree["m"]).exception == "DB.1.1-1"


def test_db_1_1_disabled_ancestor_is_db_1_1_3():
    disabled = rule("pre", "disabled", cond("always"))
    seq = sequencer(tree(item("m", item("a"), seq=sd(rules=[disabled])), seq=sd(flow=True)))
    assert delivery_request_process(seq.ctx, seq.tree["a"]).exception == "DB.1.1-3"


def test_db_2_active_current_activity_is_db_2_1():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    assert content_delivery_environment_process(seq.ctx, seq.tree["b"]).exception == "DB.2-1"


def test_db_2_new_attempts_on_the_path_and_progress_status():
    seq = sequencer(flow_course("a"))
    seq.navigate("start")
    for activity_id in ("org", "a"):
        state = seq.state.activities[activity_id]
        assert (state.attempt_count, state.activity_progress_status, state.is_active) == (
            1, True, True)


def test_db_2_resume_keeps_attempt_count():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    seq.navigate("suspendAll")
    outcome = seq.navigate("resumeAll")
    assert outcome.delivered == "a" and outcome.resumed
    assert seq.state.activities["a"].attempt_count == 1
    assert seq.state.activities["org"].attempt_count == 1
    assert seq.suspended_activity is None
    assert not any(s.is_suspended for s in seq.state.activities.values())


def test_db_2_a_retried_cluster_rolls_up_only_its_new_attempt():
    retry = rule("post", "retry", cond("always"))
    up = rule("post", "exitParent", cond("always"))
    course = tree(item("m", item("a"), item("b", seq=sd(rules=[up])),
                       seq=sd(flow=True, rules=[retry])),
                  seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    seq.report_runtime("a", PASSED)
    seq.navigate("continue")
    seq.report_runtime("b", PASSED)
    assert seq.navigate("continue").delivered == "a"  # m retried
    assert seq.state.activities["m"].attempt_count == 2
    assert primary(seq.ctx, seq.tree["b"]).satisfied_status is True  # b keeps its own record
    seq.report_runtime("a", PASSED)
    # b passed in m's first attempt only: with useCurrentAttemptObjectiveInfo, m is not
    # satisfied by it (CTS RU-04bc)
    assert primary(seq.ctx, seq.tree["m"]).progress_status is False


def test_db_2_use_current_attempt_false_keeps_children_data():
    retry = rule("post", "retry", cond("always"))
    up = rule("post", "exitParent", cond("always"))
    course = tree(item("m", item("a"), item("b", seq=sd(rules=[up])),
                       seq=sd(flow=True, rules=[retry], use_current_objective=False,
                              use_current_progress=False)),
                  seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    seq.navigate("continue")
    seq.report_runtime("b", PASSED)
    seq.navigate("continue")
    assert primary(seq.ctx, seq.tree["b"]).satisfied_status is True


def test_db_2_1_clear_suspended_activity_unsuspends_the_path():
    course = tree(item("m", item("a"), item("b"), seq=sd(flow=True)), item("c"),
                  seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    seq.navigate("suspendAll")
    clear_suspended_activity(seq.ctx, seq.tree["c"])
    states = seq.state.activities
    assert (states["a"].is_suspended, states["m"].is_suspended) == (False, False)
    assert states["org"].is_suspended is False and seq.suspended_activity is None


def test_db_2_start_after_suspend_delivers_fresh_and_clears_suspension():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    seq.navigate("continue")
    seq.navigate("suspendAll")
    outcome = seq.navigate("start")
    assert outcome.delivered == "a" and not outcome.resumed
    assert seq.suspended_activity is None
    assert seq.state.activities["b"].is_suspended is False


def test_db_2_a_new_attempt_on_a_cluster_entered_by_flow_keeps_its_childrens_status():
    skip = rule("pre", "skip", cond("satisfied"))
    course = tree(item("m", item("a", seq=sd(rules=[skip])), item("b"), seq=sd(flow=True)),
                  item("c"), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    seq.report_runtime("a", PASSED)
    seq.navigate("continue")
    seq.navigate("continue")  # c: m's attempt ends

    assert seq.navigate("previous").delivered == "b"  # a new attempt on m
    assert primary(seq.ctx, seq.tree["a"]).satisfied_status is True  # CTS SX-07d
