"""SB.2.4 Choice Activity Traversal and SB.2.9 Choice (with SB.2.9.1/SB.2.9.2)."""

from __future__ import annotations

from scorm_player.packaging.model import RandomizationControls
from scorm_player.sequencing.choice import (
    choice_flow,
    choice_sequencing_request,
)
from scorm_player.sequencing.context import BACKWARD, FORWARD
from tests.sequencing.builders import PASSED, cond, item, rule, sd, sequencer, tree


def _two_modules(m1=None, m2=None, m3=None, root=None):
    return tree(
        item("m1", item("a"), item("b"), seq=m1 or sd(flow=True)),
        item("m2", item("c"), item("d"), seq=m2 or sd(flow=True)),
        item("m3", item("e"), seq=m3 or sd(flow=True)),
        seq=root or sd(flow=True),
    )


def test_sb_2_9_no_target_is_sb_2_9_1():
    seq = sequencer(_two_modules())
    assert choice_sequencing_request(seq.ctx, None).exception == "SB.2.9-1"


def test_sb_2_9_target_not_selected_is_sb_2_9_2():
    pool = RandomizationControls(selection_timing="once", select_count=1)
    seq = sequencer(tree(item("m", item("a"), item("b"), seq=sd(flow=True, randomization=pool)),
                         seq=sd(flow=True)), seed=3)
    available = seq.state.activities["m"].available_children
    missing = next(x for x in ("a", "b") if x not in available)
    assert choice_sequencing_request(seq.ctx, seq.tree[missing]).exception == "SB.2.9-2"
    assert seq.navigate("choice", missing).exception == "NB.2.1-11"


def test_sb_2_9_hidden_from_choice_target_or_ancestor_is_sb_2_9_3():
    hidden = rule("pre", "hiddenFromChoice", cond("always"))
    seq = sequencer(_two_modules(m2=sd(flow=True, rules=[hidden])))
    assert seq.navigate("choice", "c").exception == "SB.2.9-3"
    assert seq.navigate("choice", "m2").exception == "SB.2.9-3"


def test_sb_2_9_parent_choice_false_is_sb_2_9_4():
    seq = sequencer(_two_modules(m1=sd(flow=True, choice=False)))
    assert choice_sequencing_request(seq.ctx, seq.tree["b"]).exception == "SB.2.9-4"


def test_sb_2_9_choose_current_activity_again_starts_new_attempt():
    seq = sequencer(_two_modules())
    seq.navigate("start")
    assert seq.navigate("choice", "a").delivered == "a"
    assert seq.state.activities["a"].attempt_count == 2


def test_sb_2_4_forward_sibling_blocked_by_stop_forward_traversal():
    stop = rule("pre", "stopForwardTraversal", cond("attempted", "not"))
    course = tree(item("a"), item("b", seq=sd(rules=[stop])), item("c"), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    assert seq.navigate("choice", "c").exception == "SB.2.4-1"
    assert seq.navigate("continue").delivered == "b"  # flow is not affected
    seq.navigate("previous")
    assert seq.navigate("choice", "c").delivered == "c"  # b attempted: rule no longer holds


def test_sb_2_9_forward_sibling_choice_may_land_on_a_stop_forward_traversal_activity():
    """Step 8.1: the list ends before the target; its rule stops traversal past it."""
    stop = rule("pre", "stopForwardTraversal", cond("always"))
    course = tree(item("a"), item("b", seq=sd(rules=[stop])), item("c"), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    assert seq.navigate("choice", "b").delivered == "b"


def test_sb_2_9_stop_forward_traversal_on_the_current_activity_blocks_later_siblings():
    """Step 8.1: the list starts at the current activity (CTS CM-07f)."""
    stop = rule("pre", "stopForwardTraversal", cond("always"))
    course = tree(item("a", seq=sd(rules=[stop])), item("b"), item("c"), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    assert seq.navigate("choice", "b").exception == "SB.2.4-1"
    assert seq.navigate("choice", "a").delivered == "a"
    assert seq.navigate("continue").delivered == "b"  # flow ignores the rule


def test_sb_2_4_unknown_condition_does_not_fire():
    stop = rule("pre", "stopForwardTraversal", cond("satisfied", "not"))  # not unknown
    course = tree(item("a"), item("b", seq=sd(rules=[stop])), item("c"), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    assert seq.navigate("choice", "c").delivered == "c"


def test_sb_2_4_backward_sibling_under_forward_only_is_sb_2_4_2():
    course = tree(item("a"), item("b"), seq=sd(flow=True, forward_only=True))
    seq = sequencer(course)
    seq.navigate("start")
    seq.navigate("continue")
    assert seq.navigate("choice", "a").exception == "SB.2.4-2"


def test_sb_2_9_choice_blocked_by_prevent_activation():
    seq = sequencer(_two_modules(m2=sd(flow=True, prevent_activation=True)))
    seq.navigate("start")
    assert seq.navigate("choice", "c").exception == "SB.2.9-6"
    # flowing into m2 activates it; then choice among its children is allowed
    seq.navigate("continue")
    assert seq.navigate("continue").delivered == "c"
    assert seq.navigate("choice", "d").delivered == "d"


def test_sb_2_9_prevent_activation_checked_with_no_current_activity():
    seq = sequencer(_two_modules(m2=sd(flow=True, prevent_activation=True)))
    assert seq.navigate("choice", "c").exception == "SB.2.9-6"


def test_sb_2_9_ancestor_target_checks_choice_exit_sb_2_9_7():
    seq = sequencer(_two_modules(m1=sd(flow=True, choice_exit=False)))
    seq.navigate("start")
    # from a: up to m1 only checks a; up to the root also checks m1
    assert choice_sequencing_request(seq.ctx, seq.tree["m1"]).exception is None
    assert choice_sequencing_request(seq.ctx, seq.tree["org"]).exception == "SB.2.9-7"


def test_sb_2_9_other_branch_checks_choice_exit_on_the_way_up():
    seq = sequencer(_two_modules(m1=sd(flow=True, choice_exit=False)))
    seq.navigate("start")
    assert seq.navigate("choice", "c").exception == "NB.2.1-8"  # m1 is active
    assert choice_sequencing_request(seq.ctx, seq.tree["c"]).exception == "SB.2.9-7"


def test_sb_2_9_constrain_choice_allows_only_next_or_previous():
    seq = sequencer(_two_modules(m1=sd(flow=True, constrain_choice=True)))
    seq.navigate("start")
    assert seq.navigate("choice", "e").exception == "SB.2.9-8"  # m3 is not next to m1
    assert seq.navigate("choice", "d").delivered == "d"  # inside m2, the next activity


def test_sb_2_9_the_current_activitys_own_constrain_choice_does_not_narrow_the_window():
    """Step 11.4.2: the window is its closest constraining ancestor's (CTS CM-07d)."""
    constrained = sd(flow=True, constrain_choice=True)
    course = tree(
        item("group", item("a", seq=sd(constrain_choice=True)), item("b"), seq=constrained),
        item("next"),
        item("far"),
        seq=sd(flow=True),
    )
    seq = sequencer(course)
    seq.navigate("start")
    assert seq.current_activity == "a"
    assert seq.navigate("choice", "far").exception == "SB.2.9-8"  # group still constrains
    assert seq.navigate("choice", "next").delivered == "next"  # not only a's next, b


def test_sb_2_9_1_choice_flow_goes_to_sibling_or_up():
    seq = sequencer(_two_modules())
    assert choice_flow(seq.ctx, seq.tree["m1"], FORWARD).id == "m2"
    assert choice_flow(seq.ctx, seq.tree["m1"], BACKWARD).id == "m1"  # nothing before
    assert choice_flow(seq.ctx, seq.tree["b"], FORWARD).id == "m2"


def test_sb_2_9_choice_of_flow_false_cluster_is_sb_2_9_9_and_makes_it_current():
    seq = sequencer(_two_modules(m2=sd(flow=False)))
    seq.navigate("start")
    outcome = seq.navigate("choice", "m2")
    assert outcome.exception == "SB.2.9-9"
    assert seq.current_activity == "m2"
    assert seq.navigate("choice", "d").delivered == "d"  # the TOC goes on from there


def test_sb_2_9_choice_of_cluster_flows_to_its_first_leaf():
    seq = sequencer(_two_modules())
    seq.navigate("start")
    assert seq.navigate("choice", "m3").delivered == "e"


def test_sb_2_9_choice_into_other_branch_terminates_descendent_attempts():
    seq = sequencer(_two_modules())
    seq.navigate("start")
    seq.navigate("choice", "c")
    states = seq.state.activities
    assert (states["m1"].is_active, states["m2"].is_active, states["a"].is_active) == (
        False, True, False)
