"""The shared look-ahead of ``toc()`` / ``request_valid()`` against a full OP.1 per request.

The oracle is what ``Sequencer`` used to do: deep-copy the state and the shared objectives,
run the Overall Sequencing Process, and call the request valid when it delivered something or
ended the session. Every answer of the fast path must equal it, on hand-built trees that
exercise one rule each and on random trees walked by random requests.
"""

from __future__ import annotations

import copy
import random
from dataclasses import replace

import pytest

from scorm_player.packaging.model import MapInfo, RandomizationControls, RollupConsiderations
from scorm_player.sequencing.context import Context, CopyOnRead, clone
from scorm_player.sequencing.engine import Sequencer, TocEntry
from scorm_player.sequencing.overall import overall_sequencing_process
from scorm_player.sequencing.state import ActivityState, ObjectiveState
from scorm_player.sequencing.tree import ActivityTree
from scorm_player.sequencing.utility import PRE_HIDDEN, sequencing_rules_check
from tests.sequencing.builders import (
    FAILED,
    INCOMPLETE,
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

# --- the oracle ---------------------------------------------------------------------------


def full_look_ahead(seq: Sequencer, request: str, target: str | None = None) -> bool:
    """OP.1 on a deep copy of everything: delivered or session ended?"""
    rng = random.Random()
    rng.setstate(seq.ctx.rng.getstate())
    scratch = Context(
        seq.tree,
        copy.deepcopy(seq.ctx.state),
        copy.deepcopy(dict(seq.ctx.globals)),
        rng,
        seq.ctx.clock,
    )
    outcome = overall_sequencing_process(scratch, request, target)
    return outcome.valid and (outcome.delivered is not None or outcome.session_ended)


def oracle_request_valid(seq: Sequencer) -> dict[str, str]:
    text = {True: "true", False: "false"}
    result = {
        "continue": text[full_look_ahead(seq, "continue")],
        "previous": text[full_look_ahead(seq, "previous")],
    }
    for activity in seq.tree:
        result[f"choice.{{target={activity.id}}}"] = text[
            full_look_ahead(seq, "choice", activity.id)
        ]
        result[f"jump.{{target={activity.id}}}"] = text[full_look_ahead(seq, "jump", activity.id)]
    return result


def oracle_toc(seq: Sequencer, valid: dict[str, str]) -> list[TocEntry]:
    """The table of contents as computed before, choices from ``oracle_request_valid``."""
    ctx = seq.ctx
    entries = []
    for activity in seq.tree:
        entries.append(
            TocEntry(
                id=activity.id,
                title=activity.title,
                depth=len(activity.path_to_root()) - 1,
                parent=activity.parent.id if activity.parent else None,
                is_leaf=activity.is_leaf,
                visible=activity.is_visible
                and (activity.parent is None
                     or activity in ctx.available_children(activity.parent)),
                hidden_from_choice=any(
                    sequencing_rules_check(ctx, a, "pre", PRE_HIDDEN) is not None
                    for a in activity.path_to_root()
                ),
                enabled=valid[f"choice.{{target={activity.id}}}"] == "true",
                status=seq._status(activity),
                is_current=activity.id == ctx.state.current_activity,
                is_suspended=ctx.s(activity).is_suspended,
                attempt_count=ctx.s(activity).attempt_count,
            )
        )
    return entries


def snapshot(seq: Sequencer) -> tuple[object, ...]:
    return (
        copy.deepcopy(seq.state.to_dict()),
        {k: v.to_dict() for k, v in seq.global_objectives.items()},
        seq.ctx.rng.getstate(),
    )


def assert_same_answers(seq: Sequencer) -> dict[str, str]:
    """Fast and full look-ahead agree, and neither leaves a trace on the registration."""
    before = snapshot(seq)
    expected_valid = oracle_request_valid(seq)
    expected_toc = oracle_toc(seq, expected_valid)
    assert snapshot(seq) == before
    valid = seq.request_valid()
    assert valid == expected_valid
    assert list(valid) == list(expected_valid)
    assert seq.toc() == expected_toc
    assert snapshot(seq) == before
    return valid


# --- one rule at a time -------------------------------------------------------------------


def _modules(m1=None, m2=None, root=None, **leaves) -> ActivityTree:
    """org > m1 (a, b), m2 (c, d), every cluster with flow unless told otherwise."""
    return tree(
        item("m1", item("a", seq=leaves.get("a")), item("b", seq=leaves.get("b")),
             seq=m1 or sd(flow=True)),
        item("m2", item("c", seq=leaves.get("c")), item("d", seq=leaves.get("d")),
             seq=m2 or sd(flow=True)),
        seq=root or sd(flow=True),
    )


def _started(course: ActivityTree, *requests: str) -> Sequencer:
    seq = sequencer(course)
    assert seq.navigate("start").delivered
    for request in requests:
        seq.navigate(*request.split(":"))
    return seq


def test_hidden_from_choice_hides_the_subtree():
    hidden = rule("pre", "hiddenFromChoice", cond("always"))
    seq = _started(_modules(m2=sd(flow=True, rules=[hidden])))
    valid = assert_same_answers(seq)
    assert valid["choice.{target=c}"] == "false" and valid["choice.{target=b}"] == "true"
    entries = {e.id: e for e in seq.toc()}
    assert entries["m2"].hidden_from_choice and entries["d"].hidden_from_choice


def test_constrain_choice_allows_only_the_next_module():
    course = tree(
        item("m1", item("a"), seq=sd(flow=True, constrain_choice=True)),
        item("m2", item("b"), seq=sd(flow=True)),
        item("m3", item("c"), seq=sd(flow=True)),
        seq=sd(flow=True),
    )
    valid = assert_same_answers(_started(course))
    assert valid["choice.{target=b}"] == "true" and valid["choice.{target=c}"] == "false"


def test_prevent_activation_blocks_choice_into_an_inactive_cluster():
    valid = assert_same_answers(_started(_modules(m2=sd(flow=True, prevent_activation=True))))
    assert valid["choice.{target=c}"] == "false" and valid["choice.{target=b}"] == "true"


def test_forward_only_refuses_previous_and_backward_choice():
    seq = _started(_modules(m1=sd(flow=True, forward_only=True)), "continue")
    valid = assert_same_answers(seq)
    assert seq.current_activity == "b"
    assert valid["previous"] == "false" and valid["choice.{target=a}"] == "false"


def test_choice_exit_false_keeps_the_learner_in_the_module():
    valid = assert_same_answers(_started(_modules(m1=sd(flow=True, choice_exit=False))))
    assert valid["choice.{target=b}"] == "true" and valid["choice.{target=c}"] == "false"


def test_choice_exit_false_on_the_current_leaf():
    valid = assert_same_answers(_started(_modules(a=sd(choice_exit=False))))
    assert valid["choice.{target=b}"] == "false" and valid["continue"] == "true"


def test_disabled_activity_is_not_deliverable():
    disabled = rule("pre", "disabled", cond("always"))
    valid = assert_same_answers(_started(_modules(c=sd(rules=[disabled]))))
    assert valid["choice.{target=c}"] == "false" and valid["jump.{target=c}"] == "false"
    assert valid["choice.{target=d}"] == "true"


def test_attempt_limit_reached_after_an_attempt():
    seq = _started(_modules(b=sd(attempt_limit=1)), "continue", "continue")
    assert seq.current_activity == "c"
    valid = assert_same_answers(seq)
    assert valid["choice.{target=b}"] == "false" and valid["choice.{target=a}"] == "true"


def test_choice_of_a_cluster_flows_to_its_first_leaf():
    skip = rule("pre", "skip", cond("always"))
    valid = assert_same_answers(_started(_modules(c=sd(rules=[skip]))))
    assert valid["choice.{target=m2}"] == "true"


def test_choice_of_a_cluster_without_flow_fails():
    valid = assert_same_answers(_started(_modules(m2=sd(flow=False))))
    assert valid["choice.{target=m2}"] == "false" and valid["choice.{target=c}"] == "true"


def test_post_condition_retry_replaces_every_choice():
    retry = rule("post", "retry", cond("satisfied", "not"))
    seq = _started(_modules(a=sd(rules=[retry])))
    seq.report_runtime("a", FAILED)
    valid = assert_same_answers(seq)
    assert valid["choice.{target=c}"] == "true"  # the retry of "a" is delivered instead


def test_post_condition_exit_all_ends_the_session_on_choice():
    exit_all = rule("post", "exitAll", cond("always"))
    assert_same_answers(_started(_modules(a=sd(rules=[exit_all]))))


def test_suspended_registration_and_no_current_activity():
    seq = _started(_modules(), "continue", "suspendAll")
    assert seq.current_activity is None
    valid = assert_same_answers(seq)
    assert valid["continue"] == "false"


def test_after_the_session_ended():
    seq = _started(_modules(), "exitAll")
    assert_same_answers(seq)


def test_before_start():
    assert_same_answers(sequencer(_modules()))


def test_selection_and_randomization_on_each_new_attempt():
    controls = RandomizationControls("onEachNewAttempt", 1, True, "onEachNewAttempt")
    seq = _started(_modules(m1=sd(flow=True, randomization=controls)))
    assert_same_answers(seq)
    seq.navigate("choice", "c")
    assert_same_answers(seq)


def test_randomization_drawn_during_the_termination_follows_the_registration_rng():
    """exitParent ends m1, which reorders its children (a draw), then m1's retry flows into
    it: whether the first child is the disabled one depends on the draw."""
    always = cond("always")
    controls = RandomizationControls("onEachNewAttempt", None, True, "never")
    course = tree(
        item("m1", item("a", seq=sd(rules=[rule("post", "exitParent", always)])),
             item("b", seq=sd(rules=[rule("pre", "disabled", cond("attempted", "not"))])),
             item("c"),
             seq=sd(flow=True, randomization=controls,
                    rules=[rule("post", "retry", always)])),
        seq=sd(flow=True),
    )
    answers = set()
    for seed in range(12):
        seq = sequencer(course, seed=seed)
        seq.navigate("start")
        answers.add(assert_same_answers(seq)["continue"])
    assert answers == {"true", "false"}


def test_shared_objective_rolled_up_by_the_exit_decides_a_disabled_rule():
    writes = [MapInfo("g", write_satisfied_status=True)]
    reads = [MapInfo("g")]
    disabled = rule("pre", "disabled", cond("satisfied", "not", "gate"))
    course = _modules(
        a=sd(objectives=[objective("pa", primary=True, maps=writes)]),
        c=sd(objectives=[objective(primary=True), objective("gate", maps=reads)],
             rules=[disabled]),
    )
    seq = _started(course)
    seq.report_runtime("a", FAILED)
    valid = assert_same_answers(seq)
    assert valid["choice.{target=c}"] == "false"
    seq.report_runtime("a", PASSED)
    valid = assert_same_answers(seq)
    assert valid["choice.{target=c}"] == "true"


# --- random trees, random walks -----------------------------------------------------------

_CONDITIONS = ("satisfied", "completed", "attempted", "always", "objectiveStatusKnown",
               "attemptLimitExceeded", "activityProgressKnown")
_PRE = ("hiddenFromChoice", "disabled", "skip", "stopForwardTraversal")
_POST = ("retry", "continue", "previous", "exitParent", "exitAll", "retryAll")


def _random_rule(rng: random.Random, kind: str, actions: tuple[str, ...]):
    conditions = [
        cond(rng.choice(_CONDITIONS), rng.choice(("noOp", "not")),
             rng.choice((None, None, "shared")))
        for _ in range(rng.randint(1, 2))
    ]
    return rule(kind, rng.choice(actions), *conditions,
                combination=rng.choice(("all", "any")))


def _random_definition(rng: random.Random, leaf: bool):
    rules = []
    for _ in range(rng.choice((0, 0, 1, 2))):
        rules.append(_random_rule(rng, "pre", _PRE))
    if rng.random() < 0.2:
        rules.append(_random_rule(rng, "post", _POST))
    if not leaf and rng.random() < 0.1:
        rules.append(_random_rule(rng, "exit", ("exit",)))
    maps = []
    if rng.random() < 0.4:
        maps.append(MapInfo(f"g{rng.randint(0, 2)}", write_satisfied_status=rng.random() < .5,
                            write_normalized_measure=rng.random() < 0.3))
    objectives = [objective("main", primary=True, by_measure=rng.random() < 0.2,
                            min_measure=0.6, maps=maps)]
    if rng.random() < 0.3:
        objectives.append(objective("shared", maps=[MapInfo(f"g{rng.randint(0, 2)}")]))
    randomization = None
    if not leaf and rng.random() < 0.15:
        randomization = RandomizationControls(
            rng.choice(("once", "onEachNewAttempt")), rng.choice((None, 1, 2)),
            rng.random() < 0.5, rng.choice(("once", "onEachNewAttempt")))
    rollup_rules = []
    if not leaf and rng.random() < 0.3:
        rollup_rules = [rollup("satisfied", "satisfied", child_set=rng.choice(("any", "all"))),
                        rollup("incomplete", "not completed", child_set="any")]
    return sd(
        flow=rng.random() < 0.8,
        choice=rng.random() < 0.85,
        choice_exit=rng.random() < 0.8,
        forward_only=rng.random() < 0.15,
        constrain_choice=rng.random() < 0.15,
        prevent_activation=rng.random() < 0.15,
        attempt_limit=rng.choice((None, None, None, 1, 2)),
        rules=rules,
        rollup_rules=rollup_rules,
        objectives=objectives,
        tracked=rng.random() < 0.95,
        randomization=randomization,
        considerations=RollupConsiderations(
            required_for_satisfied=rng.choice(("always", "ifAttempted", "ifNotSkipped"))),
    )


def random_course(seed: int) -> ActivityTree:
    rng = random.Random(seed)
    counter = [0]

    def node(depth: int):
        counter[0] += 1
        name = f"n{counter[0]}"
        leaf = depth >= 3 or (depth > 0 and rng.random() < 0.45)
        children = [] if leaf else [node(depth + 1) for _ in range(rng.randint(1, 3))]
        return item(name, *children, seq=_random_definition(rng, leaf),
                    visible=rng.random() < 0.9)

    root = sd(flow=rng.random() < 0.9, choice=True, choice_exit=True,
              forward_only=rng.random() < 0.1)
    return tree(*(node(1) for _ in range(rng.randint(2, 3))), seq=root)


_RESULTS = (PASSED, FAILED, INCOMPLETE, {"cmi.score.scaled": "0.7"},
            {"cmi.completion_status": "completed", "cmi.exit": "suspend"},
            {"cmi.success_status": "unknown"})
_REQUESTS = ("start", "resumeAll", "continue", "continue", "previous", "exit", "exitAll",
             "abandon", "abandonAll", "suspendAll", "choice", "choice", "choice", "jump")


@pytest.mark.parametrize("seed", range(40))
def test_random_trees_and_walks_agree_with_the_full_look_ahead(seed: int) -> None:
    course = random_course(seed)
    seq = Sequencer(course, rng=random.Random(seed), clock=lambda: 0.0)
    rng = random.Random(1000 + seed)
    ids = [a.id for a in course]
    assert_same_answers(seq)
    for _step in range(12):
        if seq.current_activity is not None and rng.random() < 0.35:
            seq.report_runtime(seq.current_activity, rng.choice(_RESULTS))
        else:
            request = rng.choice(_REQUESTS)
            target = rng.choice(ids) if request in ("choice", "jump") else None
            seq.navigate(request, target)
        assert_same_answers(seq)


# --- the copy-on-read fork ----------------------------------------------------------------


def test_fork_writes_never_reach_the_registration():
    seq = _started(_modules())
    before = snapshot(seq)
    scratch = seq.ctx.fork()
    scratch.s(seq.tree["a"]).attempt_count = 99
    scratch.s(seq.tree["c"]).objectives[""] = ObjectiveState(progress_status=True)
    scratch.globals["g"] = ObjectiveState(progress_status=True)
    scratch.current = seq.tree["d"]
    scratch.rng.random()
    deeper = scratch.fork()
    assert deeper.s(seq.tree["a"]).attempt_count == 99 and "g" in deeper.globals
    deeper.s(seq.tree["a"]).attempt_count = 7
    assert scratch.s(seq.tree["a"]).attempt_count == 99
    assert snapshot(seq) == before


def test_copy_on_read_behaves_as_a_mapping():
    base = {"a": ObjectiveState(), "b": ObjectiveState(satisfied_status=True)}
    view = CopyOnRead(base)
    view["c"] = ObjectiveState()
    del view["a"]
    assert list(view) == ["b", "c"] and len(view) == 2 and "a" not in view
    assert view.get("a") is None and view["b"] == base["b"] and view["b"] is not base["b"]
    with pytest.raises(KeyError):
        view["a"]


def test_clone_is_a_deep_copy():
    state = ActivityState(objectives={"": ObjectiveState()}, available_children=["x"])
    copied = clone(state)
    assert copied == state
    copied.objectives[""].satisfied_status = True
    copied.available_children.append("y")
    assert state == replace(state) and state.objectives[""].satisfied_status is False
    assert state.available_children == ["x"]


# --- the player's Continue control --------------------------------------------------------


def test_continue_is_offered_where_the_parent_flows_though_nothing_after_can_be_delivered():
    """ADL's RTE (CTS CM-07d): the next cluster does not flow into its children."""
    course = tree(item("a"), item("m", item("m1")), seq=sd(flow=True))  # m: flow false
    seq = sequencer(course)
    seq.navigate("start")
    assert seq.request_valid()["continue"] == "false"
    assert seq.offers_continue()


def test_continue_is_not_offered_where_the_parent_does_not_flow():
    course = tree(item("m", item("m1"), item("m2")), seq=sd(flow=True))  # m: flow false
    seq = sequencer(course)
    seq.navigate("choice", "m1")
    assert not seq.offers_continue()


def test_continue_is_offered_on_the_last_activity_it_ends_the_course():
    seq = sequencer(tree(item("a"), item("b"), seq=sd(flow=True)))
    seq.navigate("start")
    seq.navigate("continue")
    assert seq.offers_continue()


def test_offering_continue_changes_nothing():
    seq = sequencer(tree(item("a"), item("b"), seq=sd(flow=True)))
    seq.navigate("start")
    before = seq.state.to_dict()
    seq.offers_continue()
    assert seq.state.to_dict() == before
