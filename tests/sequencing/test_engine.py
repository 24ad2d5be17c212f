"""The Sequencer facade: RTE mapping, request_valid look-ahead, TOC, initial CMI."""

from __future__ import annotations

import copy
import json

import pytest

from scorm_player.packaging.model import CompletionThreshold, MapInfo
from scorm_player.sequencing.engine import parse_nav_request
from scorm_player.sequencing.objectives import primary, view
from scorm_player.sequencing.state import ObjectiveState
from scorm_player.sequencing.utility import evaluate_condition
from tests.sequencing.builders import (
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


@pytest.mark.parametrize(
    ("value", "parsed"),
    [("continue", ("continue", None)), ("{target=a.b}choice", ("choice", "a.b")),
     ("{target=x}jump", ("jump", "x")), ("_none_", (None, None))],
)
def test_parse_nav_request(value, parsed):
    assert parse_nav_request(value) == parsed


def test_navigate_none_request_does_nothing():
    seq = sequencer(flow_course("a"))
    outcome = seq.navigate("_none_")
    assert outcome.valid and outcome.delivered is None and seq.current_activity is None


def test_report_runtime_maps_status_score_and_progress():
    seq = sequencer(flow_course("a"))
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.completion_status": "incomplete", "cmi.success_status": "failed",
                             "cmi.score.scaled": "0.25", "cmi.score.raw": "25",
                             "cmi.progress_measure": "0.5", "cmi.session_time": "PT1M30S"})
    state = seq.state.activities["a"]
    objective_state = primary(seq.ctx, seq.tree["a"])
    assert (state.attempt_progress_status, state.attempt_completion_status) == (True, False)
    assert (objective_state.progress_status, objective_state.satisfied_status) == (True, False)
    assert objective_state.normalized_measure == 0.25 and objective_state.raw_score == 25
    assert state.attempt_completion_amount == 0.5
    assert state.attempt_experienced_duration == 90.0


def test_report_runtime_unknown_resets_known_flags():
    seq = sequencer(flow_course("a"))
    seq.report_runtime("a", PASSED)
    seq.report_runtime("a", {"cmi.completion_status": "unknown",
                             "cmi.success_status": "unknown", "cmi.score.scaled": ""})
    assert seq.state.activities["a"].attempt_progress_status is False
    assert primary(seq.ctx, seq.tree["a"]).progress_status is False


def test_report_runtime_of_untracked_activity_records_nothing():
    seq = sequencer(tree(item("a", seq=sd(tracked=False)), seq=sd(flow=True)))
    seq.report_runtime("a", PASSED)
    assert seq.state.activities["a"].attempt_progress_status is False


def test_report_runtime_of_untracked_activity_records_its_suspension():
    # SN 4.2.3: "activity is suspended" is activity state, which tracked=false keeps.
    seq = sequencer(tree(item("a", seq=sd(tracked=False)), seq=sd(flow=True)))
    seq.report_runtime("a", {**PASSED, "cmi.exit": "suspend"})
    assert seq.state.activities["a"].is_suspended is True  # CTS OB-14b


def test_report_runtime_objectives_matched_by_id():
    course = tree(item("a", seq=sd(objectives=[objective(primary=True), objective("o1"),
                                               objective("o2")])), seq=sd(flow=True))
    seq = sequencer(course)
    seq.report_runtime("a", {"cmi.objectives.0.id": "o2", "cmi.objectives.0.score.scaled": "0.9",
                             "cmi.objectives.1.id": "other",
                             "cmi.objectives.1.success_status": "passed"})
    a = seq.tree["a"]
    assert view(seq.ctx, a, a.objective("o2")).normalized_measure == 0.9
    assert view(seq.ctx, a, a.objective("o1")).progress_status is False


def test_request_valid_has_no_side_effects():
    course = tree(item("a"), item("b", seq=sd(attempt_limit=1)), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    before = copy.deepcopy(seq.state.to_dict())
    valid = seq.request_valid()
    assert seq.state.to_dict() == before
    assert valid["continue"] == "true" and valid["previous"] == "false"
    assert valid["choice.{target=b}"] == "true" and valid["jump.{target=b}"] == "true"


def test_request_valid_reflects_rules_made_true_by_runtime_data():
    disabled = rule("pre", "disabled", cond("satisfied"))
    course = tree(item("a"), item("b", seq=sd(rules=[disabled])), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    assert seq.request_valid()["continue"] == "true"
    seq.tree["b"].definition.objectives[0].map_info.append(MapInfo("g"))
    seq.global_objectives["g"] = ObjectiveState(progress_status=True, satisfied_status=True)
    assert seq.request_valid()["continue"] == "false"


def test_toc_lists_status_visibility_and_choice():
    hidden = rule("pre", "hiddenFromChoice", cond("always"))
    course = tree(item("a"), item("b", seq=sd(rules=[hidden])), item("c", visible=False),
                  seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    seq.report_runtime("a", PASSED)
    entries = {e.id: e for e in seq.toc()}
    assert entries["a"].status == "passed" and entries["a"].is_current
    assert entries["b"].hidden_from_choice and not entries["b"].enabled
    assert entries["c"].visible is False and entries["c"].enabled  # invisible stays sequencable
    assert entries["c"].status == "not attempted"
    json.dumps([e.to_dict() for e in seq.toc()])


def test_initial_cmi_from_sequencing_and_globals():
    maps = [MapInfo("shared", read_satisfied_status=True)]
    course = tree(
        item("a", seq=sd(objectives=[objective("main", primary=True, by_measure=True,
                                               min_measure=0.7, maps=maps),
                                     objective("extra")], duration_limit="PT30M"),
             threshold=CompletionThreshold(True, 0.8, 1.0)),
        seq=sd(flow=True),
    )
    shared = {"shared": ObjectiveState(progress_status=True, satisfied_status=False,
                                       measure_status=True, normalized_measure=0.8,
                                       raw_score=42.0, completion_status="completed")}
    seq = sequencer(course, shared)
    values = seq.initial_cmi("a")
    assert values["cmi.scaled_passing_score"] == "0.7"
    assert values["cmi.completion_threshold"] == "0.8"
    assert values["cmi.max_time_allowed"] == "PT30M"
    assert values["cmi.objectives.0.id"] == "main"
    assert values["cmi.objectives.0.success_status"] == "passed"
    assert values["cmi.objectives.0.score.raw"] == "42"
    assert values["cmi.objectives.0.completion_status"] == "completed"
    assert values["cmi.objectives.1.id"] == "extra"
    assert "cmi.objectives.1.success_status" not in values


def test_absolute_durations_use_the_injected_clock():
    import random

    from scorm_player.sequencing.engine import Sequencer

    now = [100.0]
    seq = Sequencer(flow_course("a", "b"), rng=random.Random(1), clock=lambda: now[0])
    seq.navigate("start")
    now[0] = 160.0
    seq.navigate("continue")
    assert seq.state.activities["a"].attempt_absolute_duration == 60.0


def test_initial_cmi_judges_a_satisfied_by_measure_objective_on_the_shared_measure():
    maps = [MapInfo("shared")]
    course = tree(
        item("a", seq=sd(objectives=[objective("o", by_measure=True, min_measure=0.15,
                                               maps=maps)])),
        seq=sd(flow=True),
    )
    shared = {"shared": ObjectiveState(progress_status=True, satisfied_status=False,
                                       measure_status=True, normalized_measure=0.2)}

    values = sequencer(course, shared).initial_cmi("a")

    assert values["cmi.objectives.0.success_status"] == "passed"  # 0.2 >= 0.15 (CTS OB-14a)


def test_a_satisfied_by_measure_objective_is_judged_on_the_measure_the_sco_reports():
    maps = [MapInfo("shared", write_satisfied_status=True, write_normalized_measure=True)]
    course = tree(
        item("a", seq=sd(objectives=[objective("o", by_measure=True, min_measure=0.5,
                                               maps=maps)])),
        seq=sd(flow=True),
    )
    seq = sequencer(course)
    seq.navigate("start")

    seq.report_runtime("a", {"cmi.objectives.0.id": "o", "cmi.objectives.0.score.scaled": "0.7"})

    shared = seq.global_objectives["shared"]
    assert (shared.progress_status, shared.satisfied_status) == (True, True)  # CTS OB-14b


def test_an_objective_reported_unknown_makes_the_shared_objective_it_writes_unknown():
    maps = [MapInfo("shared", write_satisfied_status=True)]
    course = tree(item("a", seq=sd(objectives=[objective("o", maps=maps)])), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.objectives.0.id": "o", "cmi.objectives.0.success_status": "passed"})

    seq.report_runtime("a", {"cmi.objectives.0.id": "o",
                             "cmi.objectives.0.success_status": "unknown"})

    assert seq.global_objectives["shared"].progress_status is False  # CTS OB-17a


def test_a_measure_read_from_a_shared_objective_decides_a_satisfied_by_measure_objective():
    maps = [MapInfo("shared")]
    course = tree(
        item("a", seq=sd(objectives=[objective("p", primary=True, by_measure=True,
                                               min_measure=0.6, maps=maps)])),
        seq=sd(flow=True),
    )
    shared = {"shared": ObjectiveState(progress_status=True, satisfied_status=False,
                                       measure_status=True, normalized_measure=0.75)}

    seen = primary(sequencer(course, shared).ctx, course["a"])

    assert (seen.progress_status, seen.satisfied_status) == (True, True)  # CTS SX-03


def test_the_outcome_of_an_untouched_course_is_not_attempted_and_unknown():
    outcome = sequencer(flow_course("a", "b")).outcome()
    assert (outcome.completion_status, outcome.success_status, outcome.scaled_score) == (
        "not attempted", "unknown", None,
    )


def test_the_outcome_of_the_root_is_its_rollup_after_every_child_reported():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    seq.report_runtime("a", {**PASSED, "cmi.score.scaled": "0.5"})
    assert seq.outcome().completion_status == "incomplete"  # b not done yet
    seq.navigate("continue")
    seq.report_runtime("b", {**PASSED, "cmi.score.scaled": "1"})
    seq.navigate("exitAll")

    outcome = seq.outcome()
    assert (outcome.completion_status, outcome.success_status) == ("completed", "passed")
    assert outcome.scaled_score == 0.75


def test_the_outcome_of_one_activity_is_its_own_status():
    seq = sequencer(flow_course("a", "b"))
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.completion_status": "completed", "cmi.success_status": "failed"})
    assert seq.outcome("a").success_status == "failed"


def test_an_objective_completion_reported_unknown_makes_the_shared_completion_unknown():
    maps = [MapInfo("shared", write_completion_status=True)]
    course = tree(item("a", seq=sd(objectives=[objective("o", maps=maps)])), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.objectives.0.id": "o",
                             "cmi.objectives.0.completion_status": "completed"})

    seq.report_runtime("a", {"cmi.objectives.0.id": "o",
                             "cmi.objectives.0.completion_status": "unknown"})

    assert seq.global_objectives["shared"].completion_status is None  # CTS SX-11b


def test_rollup_of_a_reader_does_not_write_its_older_values_over_a_shared_objective():
    # RB.1.5: rolling up "b" (which reads and writes "shared") because "a" wrote to it
    # changes nothing of b's, so b writes nothing: a's max score stays.
    maps = [MapInfo("shared", write_max_score=True)]
    course = tree(item("a", seq=sd(objectives=[objective("o", maps=maps)])),
                  item("b", seq=sd(objectives=[objective("o", maps=maps)])), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    seq.navigate("continue")
    seq.report_runtime("b", {"cmi.objectives.0.id": "o", "cmi.objectives.0.score.max": "157"})
    seq.navigate("previous")

    seq.report_runtime("a", {"cmi.objectives.0.id": "o", "cmi.objectives.0.score.max": "4589"})

    assert seq.global_objectives["shared"].max_score == 4589.0  # CTS SX-11b


def test_a_rule_on_an_untracked_activity_sees_no_status_from_a_shared_objective():
    # deliveryControls tracked=false: no objective information exists for the activity, so
    # its rule conditions see the objective unknown whatever the shared objective says.
    maps = [MapInfo("shared")]
    course = tree(item("a", seq=sd(tracked=False, objectives=[
        objective("p", primary=True, maps=maps)])), seq=sd(flow=True))
    shared = {"shared": ObjectiveState(progress_status=True, satisfied_status=True,
                                       measure_status=True, normalized_measure=0.5)}
    ctx = sequencer(course, shared).ctx

    known = [evaluate_condition(ctx, course["a"], c)
             for c in ("objectiveStatusKnown", "objectiveMeasureKnown")]

    assert known == [False, False]  # CTS OB-06


def test_initial_cmi_reads_a_shared_completion_known_but_not_completed_as_incomplete():
    # SN 4th ed. objective progress information: completion is known and completed or not,
    # so a "not attempted" written to a shared objective is read back as incomplete.
    maps = [MapInfo("shared", read_completion_status=True)]
    course = tree(item("a", seq=sd(objectives=[objective("o", maps=maps)])), seq=sd(flow=True))
    shared = {"shared": ObjectiveState(completion_status="not attempted")}

    values = sequencer(course, shared).initial_cmi("a")

    assert values["cmi.objectives.0.completion_status"] == "incomplete"  # CTS OB-06


def test_end_attempt_keeps_a_primary_status_reported_unknown_through_cmi_objectives():
    # UP.4 End Attempt: the primary objective is satisfied only when the content did not
    # report its status; reporting it as cmi.objectives.n (its objectiveID) is reporting it.
    course = tree(item("a", seq=sd(objectives=[objective("p", primary=True)])), item("b"),
                  seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.objectives.0.id": "p",
                             "cmi.objectives.0.success_status": "unknown"})

    seq.navigate("continue")

    assert primary(seq.ctx, course["a"]).progress_status is False  # CTS OB-17b


def test_a_satisfied_by_measure_objective_reads_no_status_without_a_measure():
    # satisfiedByMeasure: the measure alone decides the status, so a satisfied status read
    # from a shared objective whose measure is unknown leaves the status unknown.
    maps = [MapInfo("shared")]
    course = tree(item("a", seq=sd(objectives=[objective("p", primary=True, by_measure=True,
                                                         min_measure=0.75, maps=maps)])),
                  seq=sd(flow=True))
    shared = {"shared": ObjectiveState(progress_status=True, satisfied_status=True)}

    seen = primary(sequencer(course, shared).ctx, course["a"])

    assert seen.progress_status is False  # CTS OB-05b


def test_a_primary_objective_progress_measure_is_the_attempts_completion_amount():
    # 4th ed.: the primary objective carries the activity's completion, so content naming it
    # in cmi.objectives.n reports the attempt's completion amount (completedByMeasure).
    course = tree(item("a", seq=sd(objectives=[objective("p", primary=True)]),
                       threshold=CompletionThreshold(True, 0.4, 1.0)), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")

    seq.report_runtime("a", {"cmi.objectives.0.id": "p", "cmi.objectives.0.progress_measure": "0.4"})

    state = seq.state.activities["a"]
    assert (state.attempt_completion_amount_status, state.attempt_completion_amount) == (True, 0.4)


def test_a_primary_objective_completed_by_measure_writes_the_completion_its_measure_makes():
    maps = [MapInfo("shared", write_completion_status=True, write_progress_measure=True)]
    course = tree(
        item("a", seq=sd(objectives=[objective("main", primary=True, maps=maps)]),
             threshold=CompletionThreshold(True, 0.15, 1.0)),
        seq=sd(flow=True),
    )
    shared = {"shared": ObjectiveState(completion_status="incomplete", progress_measure=0.2)}
    seq = sequencer(course, shared)
    seq.navigate("start")
    launched = seq.initial_cmi("a")
    assert launched["cmi.objectives.0.completion_status"] == "incomplete"  # as read in

    seq.report_runtime("a", {"cmi.objectives.0.id": "main",
                             "cmi.objectives.0.completion_status": "incomplete",
                             "cmi.objectives.0.progress_measure": "0.3"})
    seq.navigate("exitAll")

    assert seq.global_objectives["shared"].completion_status == "completed"  # 0.3 >= 0.15
