"""NB.2.1 Navigation Request Process: every branch and exception code."""

from __future__ import annotations

from scorm_player.sequencing.navigation import navigation_request_process
from tests.sequencing.builders import flow_course, item, sd, sequencer, tree


def _nav(seq, request, target=None):
    return navigation_request_process(seq.ctx, request, seq.tree.get(target))


def test_nb_2_1_start_before_session_is_start_request():
    seq = sequencer(flow_course("a", "b"))
    result = _nav(seq, "start")
    assert (result.valid, result.termination, result.sequencing) == (True, None, "start")


def test_nb_2_1_start_after_session_began_is_nb_2_1_1():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    assert _nav(seq, "start").exception == "NB.2.1-1"


def test_nb_2_1_resume_all_after_session_began_is_nb_2_1_1():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    assert _nav(seq, "resumeAll").exception == "NB.2.1-1"


def test_nb_2_1_resume_all_without_suspended_activity_is_nb_2_1_3():
    seq = sequencer(flow_course("a", "b"))
    assert _nav(seq, "resumeAll").exception == "NB.2.1-3"


def test_nb_2_1_continue_before_session_is_nb_2_1_2():
    seq = sequencer(flow_course("a", "b"))
    assert _nav(seq, "continue").exception == "NB.2.1-2"


def test_nb_2_1_continue_without_flow_is_nb_2_1_4():
    # A missing controlMode means flow="false" (spec section 8): continue is invalid.
    seq = sequencer(tree(item("a"), item("b")))
    seq.navigate("choice", "a")
    assert _nav(seq, "continue").exception == "NB.2.1-4"


def test_nb_2_1_continue_on_active_activity_also_requests_exit():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    result = _nav(seq, "continue")
    assert (result.termination, result.sequencing) == ("exit", "continue")


def test_nb_2_1_continue_on_terminated_activity_requests_no_termination():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    seq.navigate("exit")
    result = _nav(seq, "continue")
    assert (result.valid, result.termination, result.sequencing) == (True, None, "continue")


def test_nb_2_1_previous_under_forward_only_is_nb_2_1_5():
    seq = sequencer(flow_course("a", "b", forward_only=True))
    seq.navigate("start")
    assert _nav(seq, "previous").exception == "NB.2.1-5"


def test_nb_2_1_previous_without_flow_is_nb_2_1_5():
    seq = sequencer(tree(item("a"), item("b")))
    seq.navigate("choice", "b")
    assert _nav(seq, "previous").exception == "NB.2.1-5"


def test_nb_2_1_previous_from_root_is_nb_2_1_6():
    seq = sequencer(tree(item("a"), item("b")))
    seq.navigate("choice", "a")
    seq.navigate("exitAll")  # Exit All leaves the root as the current activity ...
    seq.state.current_activity = "org"  # ... and the session open, as before session end
    assert _nav(seq, "previous").exception == "NB.2.1-6"


def test_nb_2_1_forward_and_backward_are_nb_2_1_7():
    seq = sequencer(flow_course("a"))
    assert _nav(seq, "forward").exception == "NB.2.1-7"
    assert _nav(seq, "backward").exception == "NB.2.1-7"


def test_nb_2_1_choice_unknown_target_is_nb_2_1_11():
    seq = sequencer(flow_course("a"))
    assert _nav(seq, "choice", "nope").exception == "NB.2.1-11"


def test_nb_2_1_choice_when_parent_forbids_choice_is_nb_2_1_10():
    seq = sequencer(flow_course("a", "b", choice=False))
    assert _nav(seq, "choice", "b").exception == "NB.2.1-10"


def test_nb_2_1_choice_leaving_active_choice_exit_false_cluster_is_nb_2_1_8():
    course = tree(
        item("m1", item("a"), item("b"), seq=sd(flow=True, choice_exit=False)),
        item("m2", item("c")),
        seq=sd(flow=True),
    )
    seq = sequencer(course)
    seq.navigate("start")
    assert _nav(seq, "choice", "c").exception == "NB.2.1-8"
    assert _nav(seq, "choice", "b").valid  # inside the cluster is fine


def test_nb_2_1_choice_before_session_needs_no_termination():
    seq = sequencer(flow_course("a", "b"))
    result = _nav(seq, "choice", "b")
    assert (result.valid, result.termination, result.sequencing) == (True, None, "choice")


def test_nb_2_1_exit_before_session_is_nb_2_1_2():
    seq = sequencer(flow_course("a"))
    assert _nav(seq, "exit").exception == "NB.2.1-2"


def test_nb_2_1_exit_of_terminated_activity_is_nb_2_1_12():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    seq.navigate("exit")
    assert _nav(seq, "exit").exception == "NB.2.1-12"
    assert _nav(seq, "abandon").exception == "NB.2.1-12"


def test_nb_2_1_exit_all_abandon_all_suspend_all_request_exit_sequencing():
    seq = sequencer(flow_course("a"))
    for request in ("exitAll", "abandonAll", "suspendAll"):
        assert _nav(seq, request).exception == "NB.2.1-2"
    seq.navigate("start")
    for request in ("exitAll", "abandonAll", "suspendAll"):
        result = _nav(seq, request)
        assert (result.termination, result.sequencing) == (request, "exit")


def test_nb_2_1_undefined_request_is_nb_2_1_13():
    seq = sequencer(flow_course("a"))
    assert _nav(seq, "sideways").exception == "NB.2.1-13"


def test_nb_2_1_jump_unknown_target_is_nb_2_1_11():
    seq = sequencer(flow_course("a"))
    seq.navigate("start")
    assert _nav(seq, "jump", "nope").exception == "NB.2.1-11"


def test_nb_2_1_jump_ignores_choice_and_flow_control_modes():
    seq = sequencer(tree(item("a"), item("b"), seq=sd(choice=False, flow=False)))
    seq.state.current_activity = "a"
    result = _nav(seq, "jump", "b")
    assert (result.valid, result.sequencing, result.target.id) == (True, "jump", "b")
