"""Whole courses: scripts of navigation requests and SCO results.

Each step is ``(request, target, cmi_for_the_delivered_sco, expected_delivery)``; the SCO's
data is reported after it is delivered and before the next request, as the run-time does.
"""

from __future__ import annotations

import json
import random

import pytest

from scorm_player.packaging.model import MapInfo, RandomizationControls
from scorm_player.sequencing.engine import Sequencer
from scorm_player.sequencing.objectives import primary
from scorm_player.sequencing.state import TrackingState, globals_from_dict, globals_to_dict
from scorm_player.sequencing.tree import ActivityTree
from tests.packaging import manifests as m
from tests.sequencing.builders import (
    FAILED,
    INCOMPLETE,
    PASSED,
    cond,
    flow_course,
    item,
    objective,
    rollup,
    rule,
    sd,
    sequencer,
    tree,
)


def play(seq: Sequencer, steps) -> None:
    for request, target, expected, cmi in steps:
        outcome = seq.navigate(request, target)
        assert outcome.delivered == expected, (request, target, outcome)
        if expected is not None and cmi:
            seq.report_runtime(expected, cmi)


def root_status(seq: Sequencer) -> tuple[bool, bool, bool]:
    root = seq.tree.root
    objective_state = primary(seq.ctx, root)
    return (seq.state.activities[root.id].attempt_completion_status,
            objective_state.progress_status, objective_state.satisfied_status)


def test_scenario_forced_sequential_order():
    seq = sequencer(flow_course("a", "b", "c", choice=False, forward_only=True))
    play(seq, [("start", None, "a", PASSED), ("continue", None, "b", PASSED)])
    assert seq.navigate("previous").exception == "NB.2.1-5"
    assert seq.navigate("choice", "a").exception == "NB.2.1-10"
    play(seq, [("continue", None, "c", PASSED)])
    assert seq.navigate("continue").session_ended
    assert root_status(seq) == (True, True, True)


def test_scenario_choice_only():
    seq = sequencer(tree(item("a"), item("b"), item("c")))
    assert seq.navigate("start").exception == "SB.2.2-1"  # no flow: the LMS shows the TOC
    play(seq, [("choice", "c", "c", PASSED), ("choice", "a", "a", PASSED)])
    assert seq.navigate("continue").exception == "NB.2.1-4"
    play(seq, [("choice", "b", "b", INCOMPLETE)])
    seq.navigate("exitAll")
    assert root_status(seq) == (False, True, True)


def test_scenario_pretest_skips_content_when_passed():
    maps = [MapInfo("mastery", write_satisfied_status=True)]
    skip_if_mastered = rule("pre", "skip", cond("satisfied"))
    course = tree(
        item("pretest", seq=sd(objectives=[objective("pre", primary=True, maps=maps)],
                               objective_set_by_content=True)),
        item("lesson", seq=sd(rules=[skip_if_mastered],
                              objectives=[objective("les", primary=True,
                                                    maps=[MapInfo("mastery")])])),
        item("summary"),
        seq=sd(flow=True),
    )
    passed = sequencer(course)
    play(passed, [("start", None, "pretest", PASSED), ("continue", None, "summary", None)])
    failed = sequencer(course)
    play(failed, [("start", None, "pretest", FAILED), ("continue", None, "lesson", None)])


def test_scenario_remediation_loop():
    retry_unless = rule("post", "retry", cond("satisfied", "not"))
    course = tree(
        item("lesson"),
        item("quiz", seq=sd(rules=[retry_unless], objective_set_by_content=True,
                            attempt_limit=3)),
        seq=sd(flow=True),
    )
    seq = sequencer(course)
    play(seq, [("start", None, "lesson", None), ("continue", None, "quiz", FAILED),
               ("continue", None, "quiz", FAILED), ("continue", None, "quiz", PASSED),
               ("continue", None, None, None)])
    assert seq.state.activities["quiz"].attempt_count == 3
    assert root_status(seq) == (True, True, True)


def test_scenario_attempt_limits():
    course = tree(item("a", seq=sd(attempt_limit=2)), item("b"), seq=sd(flow=True))
    seq = sequencer(course)
    play(seq, [("start", None, "a", FAILED), ("choice", "a", "a", FAILED),
               ("choice", "b", "b", None)])
    assert seq.navigate("choice", "a").exception == "DB.1.1-3"
    assert seq.request_valid()["choice.{target=a}"] == "false"


def test_scenario_randomised_pool_is_reproducible_with_seeded_rng():
    pool = RandomizationControls(selection_timing="once", select_count=2,
                                 randomization_timing="once", reorder_children=True)
    course_items = [item(f"q{i}") for i in range(5)]
    course = tree(item("pool", *course_items, seq=sd(flow=True, randomization=pool)),
                  seq=sd(flow=True))
    runs = []
    for _ in range(2):
        seq = Sequencer(course, rng=random.Random(42))
        first = seq.navigate("start").delivered
        second = seq.navigate("continue").delivered
        assert seq.navigate("continue").session_ended  # only two selected
        runs.append((first, second))
    assert runs[0] == runs[1] and runs[0][0] != runs[0][1]


def test_scenario_rollup_with_measure_weights():
    course = tree(
        item("quiz1", seq=sd(weight=1.0)),
        item("quiz2", seq=sd(weight=3.0)),
        item("intro", seq=sd(weight=0.0)),
        seq=sd(flow=True, objectives=[objective(primary=True, by_measure=True, min_measure=0.6)]),
    )
    seq = sequencer(course)
    play(seq, [("start", None, "quiz1", {"cmi.score.scaled": "0.2"}),
               ("continue", None, "quiz2", {"cmi.score.scaled": "0.8"}),
               ("continue", None, "intro", None)])
    assert primary(seq.ctx, seq.tree.root).normalized_measure == pytest.approx(0.65)
    seq.navigate("continue")
    assert root_status(seq) == (True, True, True)


def test_scenario_global_objective_shared_across_two_scos():
    writes = [MapInfo("g", write_satisfied_status=True, write_normalized_measure=True)]
    reads = [MapInfo("g")]
    course = tree(
        item("a", seq=sd(objectives=[objective("oa", primary=True, maps=writes)])),
        item("b", seq=sd(objectives=[objective("ob", primary=True, maps=reads)],
                         rules=[rule("pre", "skip", cond("satisfied"))])),
        item("c"),
        seq=sd(flow=True),
    )
    shared = {}
    seq = sequencer(course, shared)
    play(seq, [("start", None, "a", {"cmi.success_status": "passed", "cmi.score.scaled": "0.9"})])
    assert shared["g"].satisfied_status is True and shared["g"].normalized_measure == 0.9
    play(seq, [("continue", None, "c", None)])  # b reads g: satisfied, skipped
    assert primary(seq.ctx, seq.tree["b"]).satisfied_status is True
    # another registration sharing the map (objectivesGlobalToSystem) sees it too
    other = sequencer(course, globals_from_dict(json.loads(json.dumps(globals_to_dict(shared)))))
    assert other.initial_cmi("b")["cmi.objectives.0.success_status"] == "passed"


def test_scenario_global_change_rolls_up_readers_elsewhere_in_the_tree():
    writes = [MapInfo("g", write_satisfied_status=True)]
    course = tree(
        item("m1", item("a", seq=sd(objectives=[objective(primary=True, maps=writes)],
                                    objective_set_by_content=True)), seq=sd(flow=True)),
        item("m2", item("b", seq=sd(objectives=[objective(primary=True,
                                                          maps=[MapInfo("g")])])),
             seq=sd(flow=True)),
        seq=sd(flow=True),
    )
    seq = sequencer(course)
    seq.navigate("start")
    seq.report_runtime("a", PASSED)
    assert primary(seq.ctx, seq.tree["m2"]).satisfied_status is True
    assert root_status(seq)[1:] == (True, True)


def test_scenario_suspend_all_and_resume_all_across_sessions():
    course = tree(item("m", item("a"), item("b"), seq=sd(flow=True)), item("c"),
                  seq=sd(flow=True))
    seq = sequencer(course)
    play(seq, [("start", None, "a", PASSED), ("continue", None, "b", INCOMPLETE)])
    seq.report_runtime("b", {"cmi.exit": "suspend"})
    assert seq.navigate("suspendAll").session_ended
    saved = json.dumps(seq.state.to_dict())
    later = Sequencer(seq.tree, TrackingState.from_dict(json.loads(saved)), {},
                      rng=random.Random(1))
    outcome = later.navigate("resumeAll")
    assert outcome.delivered == "b" and outcome.resumed
    assert later.state.activities["b"].attempt_count == 1
    play(later, [("continue", None, "c", PASSED), ("continue", None, None, None)])


def test_scenario_jump_from_content():
    course = tree(item("menu"), item("x"), item("y"), seq=sd(flow=True, choice=False))
    seq = sequencer(course)
    play(seq, [("start", None, "menu", None), ("{target=y}jump", None, "y", PASSED),
               ("{target=menu}jump", None, "menu", None)])
    assert seq.navigate("start", from_content=True).exception == "NB.2.1-13"


def test_scenario_state_round_trip_mid_scenario_gives_same_results():
    course = tree(
        item("m", item("a"), item("b", seq=sd(rules=[rule("post", "retry",
                                                          cond("satisfied", "not"))],
                                              objective_set_by_content=True)),
             seq=sd(flow=True)),
        item("c"),
        seq=sd(flow=True),
    )
    steps_before = [("start", None, "a", PASSED), ("continue", None, "b", FAILED)]
    steps_after = [("continue", None, "b", PASSED), ("continue", None, "c", PASSED),
                   ("continue", None, None, None)]
    straight = sequencer(course)
    play(straight, steps_before + steps_after)
    interrupted = sequencer(course)
    play(interrupted, steps_before)
    data = json.loads(json.dumps(interrupted.state.to_dict()))
    rebuilt = Sequencer(course, TrackingState.from_dict(data), {}, rng=random.Random(1))
    play(rebuilt, steps_after)
    assert rebuilt.state.to_dict() == straight.state.to_dict()


def test_scenario_from_a_parsed_manifest():
    sequencing = ('<imsss:sequencing><imsss:controlMode flow="true" choice="false"/>'
                  "</imsss:sequencing>")
    items = (m.item("i1", "r1") + m.item("i2", "r2") + sequencing)
    resources = (m.resource("r1", "one.html", attribute=m.SCORMTYPE_2004)
                 + m.resource("r2", "two.html", attribute=m.SCORMTYPE_2004))
    package, report = m.parse(m.manifest(items, resources, version="4th"))
    assert package is not None, report.findings
    seq = Sequencer(ActivityTree.from_package(package), rng=random.Random(1))
    play(seq, [("start", None, "i1", PASSED), ("continue", None, "i2", PASSED),
               ("continue", None, None, None)])
    assert root_status(seq) == (True, True, True)
