"""What the server decides on Terminate/LMSFinish, and what outlives an attempt."""

from __future__ import annotations

from typing import Any

import pytest

from scorm_player.services import CommitRefused, NotRegistered, Services
from tests.runtime_support import launch, launch_on

MULTI_12 = "scorm12-multi-sco"
SINGLE_12 = "scorm12-single-sco"
FULL_4TH = "scorm2004-4th-full"
SEQ_3RD = "scorm2004-3rd-sequencing"


def latest(services: Services, course_id: str, item: str, learner: str = "alice") -> Any:
    results = services.tracking.results(course_id, learner)
    sco = next(s for s in results.scos if s.item_identifier == item)
    assert sco.latest is not None
    return sco.latest.attempt


# region SCORM 1.2


def test_12_total_time_is_the_sum_of_session_times(services: Services, course: Any) -> None:
    course_id = course(MULTI_12)
    launch(services, course_id).finish(
        ("cmi.core.session_time", "00:10:30"), ("cmi.core.exit", "suspend")
    )
    second = launch(services, course_id)
    assert second.state["cmi.core.total_time"] == "0000:10:30.00"
    second.finish(("cmi.core.session_time", "01:00:00.5"), ("cmi.core.exit", "suspend"))

    attempt = latest(services, course_id, "intro")
    assert attempt.columns.total_time == "0001:10:30.50"
    assert attempt.columns.total_seconds == 4230.5


@pytest.mark.parametrize(("raw", "status"), [("85", "passed"), ("80", "passed"), ("79.5", "failed")])
def test_12_mastery_score_decides_passed_or_failed(
    services: Services, course: Any, raw: str, status: str
) -> None:
    course_id = course(MULTI_12)
    launch(services, course_id, item="quiz").finish(
        ("cmi.core.score.raw", raw), ("cmi.core.lesson_status", "completed")
    )

    attempt = latest(services, course_id, "quiz")
    assert attempt.state["cmi.core.lesson_status"] == status
    assert attempt.columns.success_status == status


def test_12_an_untouched_status_becomes_completed(services: Services, course: Any) -> None:
    course_id = course(MULTI_12)
    launch(services, course_id).finish(("cmi.core.lesson_location", "end"))

    assert latest(services, course_id, "intro").state["cmi.core.lesson_status"] == "completed"


def test_12_suspend_makes_the_next_entry_resume(services: Services, course: Any) -> None:
    course_id = course(MULTI_12)
    result = launch(services, course_id).finish(("cmi.core.exit", "suspend"))

    assert result.status["attempt"] == "suspended"
    stored = latest(services, course_id, "intro")
    assert stored.state["cmi.core.entry"] == "resume"
    assert stored.columns.exit == "suspend" and stored.finished_at is None
    assert "cmi.core.exit" not in stored.state and "cmi.core.session_time" not in stored.state


@pytest.mark.parametrize("exit_value", ["", "logout", "time-out"])
def test_12_any_other_exit_finishes_the_attempt(
    services: Services, course: Any, exit_value: str
) -> None:
    course_id = course(MULTI_12)
    result = launch(services, course_id).finish(("cmi.core.exit", exit_value))

    assert result.status["attempt"] == "finished"
    assert latest(services, course_id, "intro").finished_at is not None


def test_12_suspend_data_of_64000_characters_is_kept_whole_when_lenient(
    services: Services, course: Any
) -> None:
    course_id = course(SINGLE_12)
    data = "x" * 64000
    launch(services, course_id).finish(("cmi.suspend_data", data), ("cmi.core.exit", "suspend"))

    resumed = launch(services, course_id)
    assert resumed.state["cmi.suspend_data"] == data
    assert latest(services, course_id, resumed.context.item_identifier).columns.suspend_data == data


def test_12_suspend_data_over_4096_characters_is_refused_when_strict(
    services: Services, course: Any
) -> None:
    course_id = course(SINGLE_12)
    services.courses.set_policy(course_id, "strict")
    session = launch(services, course_id)
    assert session.context.policy == "strict"

    with pytest.raises(CommitRefused) as caught:
        session.commit(("cmi.suspend_data", "x" * 64000))

    assert caught.value.reason == "invalid"
    assert caught.value.details == {"element": "cmi.suspend_data", "code": "405"}


# endregion
# region SCORM 2004


@pytest.mark.parametrize(
    ("measure", "status"), [("0.9", "completed"), ("0.8", "completed"), ("0.5", "incomplete")]
)
def test_2004_completion_follows_the_threshold_not_the_sco(
    services: Services, course: Any, measure: str, status: str
) -> None:
    course_id = course(FULL_4TH)
    launch(services, course_id).finish(
        ("cmi.completion_status", "completed" if status == "incomplete" else "incomplete"),
        ("cmi.progress_measure", measure),
    )

    attempt = latest(services, course_id, "sco_a")
    assert attempt.columns.completion_status == status
    assert attempt.state["cmi.completion_status"] == status


@pytest.mark.parametrize(
    ("scaled", "status"), [("0.7", "passed"), ("0.6", "passed"), ("0.59", "failed")]
)
def test_2004_success_follows_the_scaled_passing_score(
    services: Services, course: Any, scaled: str, status: str
) -> None:
    course_id = course(SEQ_3RD)
    session = launch_on(services, course_id, "lesson1")  # module 1 draws one lesson
    session.finish(
        ("cmi.success_status", "failed" if status == "passed" else "passed"),
        ("cmi.score.scaled", scaled),
    )

    learner = session.context.learner.external_id
    assert latest(services, course_id, "lesson1", learner).columns.success_status == status


def test_2004_total_time_adds_up_over_suspended_sessions(services: Services, course: Any) -> None:
    course_id = course(FULL_4TH)
    launch(services, course_id).finish(("cmi.session_time", "PT1H2M"), ("cmi.exit", "suspend"))
    launch(services, course_id).finish(("cmi.session_time", "PT30.25S"), ("cmi.exit", "suspend"))

    attempt = latest(services, course_id, "sco_a")
    assert attempt.columns.total_time == "PT1H2M30.25S"
    assert attempt.columns.total_seconds == 3750.25


def test_2004_a_new_attempt_starts_from_zero_time(services: Services, course: Any) -> None:
    course_id = course(FULL_4TH)
    launch(services, course_id).finish(("cmi.session_time", "PT5M"), ("cmi.exit", "normal"))

    assert launch(services, course_id).state["cmi.total_time"] == "PT0H0M0S"


def test_2004_suspend_all_suspends_even_with_a_normal_exit(
    services: Services, course: Any
) -> None:
    course_id = course(FULL_4TH)
    result = launch(services, course_id).finish(
        ("cmi.exit", "normal"), ("adl.nav.request", "suspendAll")
    )

    assert result.status["attempt"] == "suspended"
    assert result.status["nav_request"] == "suspendAll"
    assert launch(services, course_id).state["cmi.entry"] == "resume"


def test_2004_the_navigation_request_is_kept_for_the_player(
    services: Services, course: Any
) -> None:
    course_id = course(FULL_4TH)
    launch(services, course_id).finish(("adl.nav.request", "{target=sco_b}choice"))

    assert latest(services, course_id, "sco_a").nav_request == "{target=sco_b}choice"


def test_2004_suspend_data_of_64000_characters_is_kept_whole(
    services: Services, course: Any
) -> None:
    course_id = course(FULL_4TH)
    data = "é" * 64000
    launch(services, course_id).finish(("cmi.suspend_data", data), ("cmi.exit", "suspend"))

    assert launch(services, course_id).state["cmi.suspend_data"] == data


# endregion
# region What outlives an attempt


def test_learner_preferences_follow_the_learner_across_courses(
    services: Services, course: Any
) -> None:
    launch(services, course(MULTI_12)).commit(
        ("cmi.student_preference.language", "fr-CA"), ("cmi.student_preference.text", "1"),
        ("cmi.student_preference.audio", "50"),
    )

    state = launch(services, course(FULL_4TH)).state

    assert state["cmi.learner_preference.language"] == "fr-CA"
    assert state["cmi.learner_preference.audio_captioning"] == "1"
    assert "cmi.learner_preference.audio_level" not in state  # another scale
    assert launch(services, course(SINGLE_12)).state["cmi.student_preference.audio"] == "50"
    other = launch(services, course(FULL_4TH), "bob").state
    assert "cmi.learner_preference.language" not in other


def test_a_language_the_other_version_cannot_hold_is_left_out(
    services: Services, course: Any
) -> None:
    launch(services, course(MULTI_12)).commit(("cmi.student_preference.language", "Français"))

    assert "cmi.learner_preference.language" not in launch(services, course(FULL_4TH)).state


def test_shared_data_is_written_back_and_read_at_the_next_launch(
    services: Services, course: Any
) -> None:
    course_id = course(FULL_4TH)
    launch(services, course_id).commit(("adl.data.1.store", "high score 9"))

    state = launch(services, course_id, item="sco_a").state

    assert state["adl.data.1.id"] == "scores" and state["adl.data.1.store"] == "high score 9"
    assert "adl.data.0.store" not in state


def test_a_map_without_write_permission_refuses_the_batch(
    services: Services, course: Any
) -> None:
    session = launch(services, course(FULL_4TH))

    with pytest.raises(CommitRefused) as caught:
        session.commit(("adl.data.0.store", "mine"))
    assert caught.value.details == {"element": "adl.data.0.store", "code": "404"}


def test_shared_data_stays_within_its_course_when_not_global(
    services: Services, course: Any
) -> None:
    launch(services, course(FULL_4TH)).commit(("adl.data.1.store", "course one"))

    assert "adl.data.1.store" not in launch(services, course(FULL_4TH)).state


def test_shared_data_not_global_is_kept_for_one_attempt_on_the_course(
    services: Services, course: Any
) -> None:
    course_id = course(FULL_4TH)
    session = launch(services, course_id)
    session.commit(("adl.data.1.store", "attempt one"))
    services.navigation.carry_out(session.context.token, "exitAll")

    assert "adl.data.1.store" not in launch(services, course_id, item="sco_a").state


def test_a_sequenced_course_result_is_its_root_rollup(services: Services, course: Any) -> None:
    course_id = course(FULL_4TH)
    launch(services, course_id, item="sco_a").finish(
        ("cmi.progress_measure", "1"), ("cmi.score.scaled", "0.5"), ("cmi.session_time", "PT1M")
    )
    assert services.tracking.results(course_id, "alice").summary.completion_status == "incomplete"
    launch(services, course_id, item="sco_b").finish(
        ("cmi.completion_status", "completed"), ("cmi.progress_measure", "1"),
        ("cmi.success_status", "passed"), ("cmi.score.scaled", "1"), ("cmi.session_time", "PT2M"),
    )

    summary = services.tracking.results(course_id, "alice").summary
    assert (summary.completion_status, summary.success_status) == ("completed", "passed")
    # SCO A's primary objective reads its measure from global.a (mapInfo's default
    # readNormalizedMeasure), which nothing writes: its 0.5 is hidden by the unknown shared
    # measure (CTS CM-13), so the root's weighted measure is (unknown + 1) / 2.
    assert summary.score_scaled == 0.5 and summary.total_seconds == 180.0


def test_a_course_completed_by_measure_is_incomplete_until_its_measure_is_reached(
    services: Services, course: Any
) -> None:
    """The root completes by measure (0.7): SCO B completed without a progress measure, so
    the weighted measure is 0.5 x 1 / (0.5 + 1), though every SCO says completed."""
    course_id = course(FULL_4TH)
    launch(services, course_id, item="sco_a").finish(("cmi.progress_measure", "1"))
    launch(services, course_id, item="sco_b").finish(("cmi.completion_status", "completed"))

    assert services.tracking.results(course_id, "alice").summary.completion_status == "incomplete"


def test_a_scorm_12_course_result_sums_up_its_scos(services: Services, course: Any) -> None:
    course_id = course(SINGLE_12)
    launch(services, course_id).finish(
        ("cmi.core.lesson_status", "passed"), ("cmi.core.score.raw", "80")
    )

    summary = services.tracking.results(course_id, "alice").summary
    assert (summary.completion_status, summary.success_status) == ("completed", "passed")


def test_results_list_every_launchable_item_with_its_attempt_count(
    services: Services, course: Any
) -> None:
    course_id = course(MULTI_12)
    launch(services, course_id, item="lesson").finish(("cmi.core.lesson_location", "p1"))
    launch(services, course_id, item="lesson").commit(("cmi.core.lesson_location", "p2"))

    results = services.tracking.results(course_id, "alice").to_dict()

    assert [s["item"] for s in results["scos"]] == ["intro", "lesson", "quiz", "glossary"]
    lesson = results["scos"][1]
    # 1.2 has no attempts: the second launch continued the first one's data
    assert (lesson["attempt_count"], lesson["attempt_number"], lesson["location"]) == (1, 1, "p2")
    assert results["scos"][0] == {
        "item": "intro", "title": "Introduction", "scorm_type": "sco", "attempt_count": 0,
        "completion_status": "not attempted", "success_status": "unknown",
    }


def test_results_of_a_learner_who_never_launched(services: Services, course: Any) -> None:
    with pytest.raises(NotRegistered):
        services.tracking.results(course(MULTI_12), "nobody")


# endregion
