"""Tracking state and tree: JSON round trips, defaults, document order."""

from __future__ import annotations

import json

from scorm_player.sequencing.state import (
    ObjectiveState,
    TrackingState,
    globals_from_dict,
    globals_to_dict,
)
from scorm_player.sequencing.tree import PRIMARY_KEY
from tests.sequencing.builders import PASSED, item, objective, sd, sequencer, tree


def test_tracking_state_json_round_trip():
    seq = sequencer(tree(item("m", item("a"), item("b"), seq=sd(flow=True)), seq=sd(flow=True)))
    seq.navigate("start")
    seq.report_runtime("a", {**PASSED, "cmi.score.raw": "7", "cmi.progress_measure": "0.3"})
    data = json.loads(json.dumps(seq.state.to_dict()))
    assert TrackingState.from_dict(data) == seq.state


def test_global_objectives_json_round_trip():
    shared = {"g": ObjectiveState(progress_status=True, satisfied_status=True,
                                  completion_status="completed", raw_score=3.5)}
    assert globals_from_dict(json.loads(json.dumps(globals_to_dict(shared)))) == shared


def test_tree_adds_anonymous_primary_objective_and_keeps_order():
    course = tree(item("m", item("a"), item("b")), item("c", visible=False))
    assert [a.id for a in course] == ["org", "m", "a", "b", "c"]
    assert course["a"].primary_objective.objective_id is None
    assert PRIMARY_KEY in sequencer(course).state.activities["a"].objectives
    assert course["c"].is_visible is False and "c" in course  # invisible items stay


def test_tree_defaults_flow_false_when_no_sequencing():
    course = tree(item("a"))
    assert course.root.definition.control_mode.flow is False
    assert course.root.definition.control_mode.choice is True


def test_tree_lists_global_objective_ids():
    from scorm_player.packaging.model import MapInfo

    course = tree(item("a", seq=sd(objectives=[objective("x", primary=True,
                                                         maps=[MapInfo("g1")])])))
    assert course.global_objective_ids == {"g1"}
