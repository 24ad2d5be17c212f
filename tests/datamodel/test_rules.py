"""LMS-side rules: evaluation tables, 1.2 lesson_status, total_time, entry, next launch.

Includes the two-launch vectors of conformance-vectors.md (1.43-1.47, 2.72, 2.73,
C.60-C.65), played through CMIRuntime, ``end_session`` and ``next_launch``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from scorm_player.datamodel import CMIRuntime, SessionOutcome, next_launch
from scorm_player.datamodel.durations import parse_duration, parse_timespan
from scorm_player.datamodel.rules import (
    EVALUATIONS_2004,
    credit_for_mode,
    end_session,
    evaluate,
    lesson_status_12,
)
from tests.datamodel.steps import G, I, S, Step, T, run

LMS_2004 = {"cmi.learner_id": "urn:learner:1", "cmi.learner_name": "Ada"}


def session(
    version: str, initial: Mapping[str, str], steps: Sequence[Step]
) -> tuple[SessionOutcome, dict[str, str]]:
    """Play one launch; return its outcome and the next launch's initial values."""
    runtime = CMIRuntime(version, initial)  # type: ignore[arg-type]
    run(runtime, [I(), *steps, T()])
    assert runtime.outcome is not None
    return runtime.outcome, next_launch(runtime.outcome)


def relaunch(version: str, initial: Mapping[str, str], steps: Sequence[Step]) -> None:
    runtime = CMIRuntime(version, initial)  # type: ignore[arg-type]
    run(runtime, [I(), *steps])


# --- SCORM 1.2 -------------------------------------------------------------------------


def test_vector_1_43_suspend_resumes() -> None:
    _, initial = session("1.2", {}, [S("cmi.core.exit", "suspend")])
    relaunch("1.2", initial, [G("cmi.core.entry", "resume")])


def test_vector_1_44_no_exit_gives_empty_entry() -> None:
    _, initial = session("1.2", {}, [])
    relaunch("1.2", initial, [G("cmi.core.entry", "")])


def test_vector_1_45_total_time_adds_session_time() -> None:
    _, initial = session(
        "1.2", {"cmi.core.total_time": "00:10:00"}, [S("cmi.core.session_time", "00:05:30")]
    )
    runtime = CMIRuntime("1.2", initial)
    runtime.initialize()
    assert parse_timespan(runtime.get_value("cmi.core.total_time")) == 930 * 100


def test_vector_1_46_mastery_score_fails_a_low_raw_score() -> None:
    outcome, _ = session(
        "1.2", {"cmi.student_data.mastery_score": "80"}, [S("cmi.core.score.raw", "75")]
    )
    assert outcome.values["cmi.core.lesson_status"] == "failed"


def test_vector_1_47_browse_mode_records_browsed() -> None:
    outcome, _ = session("1.2", {"cmi.core.lesson_mode": "browse"}, [])
    assert outcome.values["cmi.core.lesson_status"] == "browsed"


@pytest.mark.parametrize(
    ("values", "launch", "sco_set", "expected"),
    [
        ({}, "not attempted", False, "completed"),
        ({"cmi.core.lesson_status": "incomplete"}, "not attempted", True, "incomplete"),
        ({"cmi.core.lesson_mode": "review", "cmi.core.lesson_status": "failed"}, "passed", True, "passed"),
        ({"cmi.core.lesson_mode": "browse", "cmi.core.lesson_status": "completed"}, "not attempted", True, "completed"),
        ({"cmi.core.lesson_mode": "browse"}, "incomplete", False, "completed"),
        ({"cmi.student_data.mastery_score": "80", "cmi.core.score.raw": "80",
          "cmi.core.lesson_status": "failed"}, "not attempted", True, "passed"),
        ({"cmi.student_data.mastery_score": "80", "cmi.core.score.raw": "90",
          "cmi.core.credit": "no-credit", "cmi.core.lesson_status": "incomplete"}, "not attempted", True, "incomplete"),
        ({"cmi.student_data.mastery_score": "80"}, "not attempted", False, "completed"),
    ],
    ids=[
        "untouched-becomes-completed", "sco-status-kept", "review-keeps-launch-status",
        "browse-sco-status-kept", "browse-needs-not-attempted", "mastery-overrides-sco",
        "no-credit-skips-mastery", "mastery-needs-raw",
    ],
)
def test_lesson_status_12(values: dict, launch: str, sco_set: bool, expected: str) -> None:
    assert lesson_status_12(values, status_at_launch=launch, sco_set_status=sco_set) == expected


def test_mastery_override_can_be_turned_off() -> None:
    values = {"cmi.student_data.mastery_score": "80", "cmi.core.score.raw": "75",
              "cmi.core.lesson_status": "passed"}
    assert lesson_status_12(values, sco_set_status=True, mastery_override=False) == "passed"


def test_12_session_keeps_data_and_drops_session_only_values() -> None:
    _, initial = session("1.2", {}, [
        S("cmi.core.lesson_location", "p3"), S("cmi.core.exit", "suspend"),
        S("cmi.core.session_time", "00:01:00"),
    ])
    assert initial["cmi.core.lesson_location"] == "p3"
    assert "cmi.core.exit" not in initial and "cmi.core.session_time" not in initial


# --- SCORM 2004 ------------------------------------------------------------------------


def test_vector_2_72_suspend_resumes() -> None:
    _, initial = session("2004", LMS_2004, [S("cmi.exit", "suspend")])
    relaunch("2004", initial, [G("cmi.entry", "resume")])


def test_vector_2_73_normal_exit_starts_a_new_attempt() -> None:
    _, initial = session("2004", LMS_2004, [S("cmi.suspend_data", "x"), S("cmi.exit", "normal")])
    relaunch("2004", initial, [G("cmi.entry", "ab-initio"), G("cmi.suspend_data", "", 403)])


def test_vector_c60_suspend_keeps_data_and_time() -> None:
    _, initial = session("2004", LMS_2004, [
        S("cmi.session_time", "PT01M"), S("cmi.suspend_data", "visit=2"), S("cmi.exit", "suspend"),
    ])
    runtime = CMIRuntime("2004", initial)
    run(runtime, [I(), G("cmi.entry", "resume"), G("cmi.suspend_data", "visit=2")])
    assert parse_duration(runtime.get_value("cmi.total_time")) == parse_duration("PT1M")


def test_vector_c61_time_out_starts_a_new_attempt() -> None:
    _, suspended = session("2004", LMS_2004, [
        S("cmi.session_time", "PT01M"), S("cmi.suspend_data", "x"), S("cmi.exit", "suspend"),
    ])
    outcome, initial = session("2004", suspended, [S("cmi.exit", "time-out")])
    assert outcome.nav_request == "exitAll"
    relaunch("2004", initial, [
        G("cmi.entry", "ab-initio"), G("cmi.total_time", "PT0H0M0S"),
        G("cmi.completion_status", "unknown"), G("cmi.suspend_data", "", 403),
        G("cmi.learner_id", "urn:learner:1"),
    ])


def test_vector_c62_suspend_all_resumes_without_exit() -> None:
    _, initial = session("2004", LMS_2004, [
        S("adl.nav.request", "suspendAll"), S("cmi.session_time", "P0Y029DT0H"),
    ])
    runtime = CMIRuntime("2004", initial)
    run(runtime, [I(), G("cmi.entry", "resume")])
    assert parse_duration(runtime.get_value("cmi.total_time")) == parse_duration("P29D")


def test_vector_c63_suspend_all_wins_over_normal_exit() -> None:
    _, initial = session("2004", LMS_2004, [
        S("cmi.suspend_data", "foobar"), S("cmi.exit", "normal"), S("adl.nav.request", "suspendAll"),
    ])
    relaunch("2004", initial, [G("cmi.entry", "resume"), G("cmi.suspend_data", "foobar")])


def test_vectors_c64_c65_threshold_decides_completion_across_sessions() -> None:
    lms = {**LMS_2004, "cmi.completion_threshold": "0.8"}
    _, v3 = session("2004", lms, [
        S("cmi.progress_measure", "0.5"), S("cmi.completion_status", "not attempted"),
        S("cmi.exit", "suspend"),
    ])
    _, v4 = session("2004", v3, [
        G("cmi.completion_status", "incomplete"), S("cmi.progress_measure", "0.9"),
        S("cmi.completion_status", "incomplete"), S("cmi.exit", "suspend"),
    ])
    relaunch("2004", v4, [G("cmi.completion_status", "completed")])


@pytest.mark.parametrize(
    ("element", "values", "stored", "expected"),
    [
        ("cmi.completion_status", {}, None, None),
        ("cmi.completion_status", {}, "not attempted", "not attempted"),
        ("cmi.completion_status", {"cmi.completion_threshold": "0.6"}, "completed", "unknown"),
        ("cmi.completion_status", {"cmi.completion_threshold": "0.6", "cmi.progress_measure": "0.6"}, None, "completed"),
        ("cmi.completion_status", {"cmi.completion_threshold": "0.6", "cmi.progress_measure": "0.59"}, "completed", "incomplete"),
        ("cmi.success_status", {"cmi.scaled_passing_score": "-0.5", "cmi.score.scaled": "-0.5"}, None, "passed"),
        ("cmi.success_status", {"cmi.scaled_passing_score": "-0.5", "cmi.score.scaled": "-1"}, "passed", "failed"),
        ("cmi.success_status", {"cmi.score.scaled": "1"}, "failed", "failed"),
    ],
)
def test_evaluation_table(element: str, values: dict, stored: str | None, expected: str | None) -> None:
    assert evaluate(EVALUATIONS_2004[element], stored, values) == expected


def test_end_session_2004_records_evaluated_statuses_and_time() -> None:
    outcome = end_session("2004", {
        "cmi.completion_threshold": "0.5", "cmi.progress_measure": "0.7",
        "cmi.total_time": "PT1H", "cmi.session_time": "PT30M0.25S",
    })
    assert outcome.values["cmi.completion_status"] == "completed"
    assert outcome.values["cmi.success_status"] == "unknown"
    assert outcome.values["cmi.total_time"] == "PT1H30M0.25S"
    assert (outcome.suspended, outcome.attempt_ended, outcome.next_entry) == (False, True, "ab-initio")


@pytest.mark.parametrize(
    ("exit_value", "nav_request", "nav"),
    [("logout", "_none_", "exitAll"), ("time-out", "_none_", "exitAll"),
     ("time-out", "abandonAll", "abandonAll"), ("normal", "continue", "continue")],
)
def test_end_session_2004_navigation_request(exit_value: str, nav_request: str, nav: str) -> None:
    outcome = end_session("2004", {"cmi.exit": exit_value, "adl.nav.request": nav_request})
    assert outcome.nav_request == nav


@pytest.mark.parametrize(("mode", "credit"), [("normal", "credit"), ("browse", "no-credit"), ("review", "no-credit")])
def test_credit_for_mode(mode: str, credit: str) -> None:
    assert credit_for_mode(mode) == credit


@pytest.mark.parametrize(
    ("version", "mode_element", "steps", "protected"),
    [
        ("2004", "cmi.mode", [S("cmi.score.scaled", "0.1"), S("cmi.completion_status", "completed")],
         {"cmi.score.scaled": "0.9", "cmi.completion_status": "incomplete"}),
        ("1.2", "cmi.core.lesson_mode", [S("cmi.core.score.raw", "10"), S("cmi.core.lesson_status", "failed")],
         {"cmi.core.score.raw": "90", "cmi.core.lesson_status": "passed"}),
    ],
)
def test_review_mode_keeps_the_recorded_results(
    version: str, mode_element: str, steps: list, protected: dict
) -> None:
    outcome, _ = session(version, {mode_element: "review", **protected}, steps)
    for element, value in protected.items():
        assert outcome.values[element] == value
