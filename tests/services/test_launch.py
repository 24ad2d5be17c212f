"""Opening a launch: registration, item, attempt and the initial CMI state (1.2 and 2004)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scorm_player.services import (
    CourseNotFound,
    NothingToLaunch,
    Services,
    TokenExpired,
    TokenRefused,
)
from tests.runtime_support import launch, launch_on

MULTI_12 = "scorm12-multi-sco"
FULL_4TH = "scorm2004-4th-full"
SEQ_3RD = "scorm2004-3rd-sequencing"


def test_a_launch_registers_the_learner_and_opens_a_first_attempt(
    services: Services, course: Any
) -> None:
    session = launch(services, course(MULTI_12), "u-42", "Doe, Jane")
    context = session.context

    assert context.learner.external_id == "u-42" and context.learner.name == "Doe, Jane"
    assert context.item_identifier == "intro" and context.item_title == "Introduction"
    assert context.launch_url == "intro/index.html"
    assert (context.attempt_number, context.acked_seq, context.mode) == (1, 0, "normal")
    assert context.resumed is False
    assert context.token and context.token_ttl == 1800 and context.policy == "lenient"


def test_the_initial_state_of_a_12_sco(services: Services, course: Any) -> None:
    state = launch(services, course(MULTI_12), "u-42", "Doe, Jane").state

    assert state == {
        "cmi.core.student_id": "u-42",
        "cmi.core.student_name": "Doe, Jane",
        "cmi.core.credit": "credit",
        "cmi.core.lesson_mode": "normal",
        "cmi.core.entry": "ab-initio",
        "cmi.core.total_time": "0000:00:00.00",
        "cmi.core.lesson_status": "not attempted",
        "cmi.launch_data": "mode=intro;lang=en",
    }


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("quiz", {"cmi.student_data.mastery_score": "80",
                  "cmi.student_data.time_limit_action": "continue,no message"}),
        ("lesson", {"cmi.student_data.max_time_allowed": "0000:30:00",
                    "cmi.student_data.time_limit_action": "exit,message"}),
    ],
)
def test_12_student_data_comes_from_the_manifest(
    services: Services, course: Any, item: str, expected: dict[str, str]
) -> None:
    state = launch(services, course(MULTI_12), item=item).state

    assert {k: v for k, v in state.items() if k.startswith("cmi.student_data.")} == expected


def test_the_initial_state_of_a_2004_4th_edition_sco(services: Services, course: Any) -> None:
    context = launch(services, course(FULL_4TH), "u-42", "Doe, Jane").context

    assert context.state == {
        "cmi.learner_id": "u-42",
        "cmi.learner_name": "Doe, Jane",
        "cmi.credit": "credit",
        "cmi.mode": "normal",
        "cmi.entry": "ab-initio",
        "cmi.total_time": "PT0H0M0S",
        "cmi.completion_threshold": "0.8",
        "cmi.objectives.0.id": "obj_a",
        "adl.data.0.id": "notes",
        "adl.data.1.id": "scores",
    }
    assert [(m.id, m.read_shared_data, m.write_shared_data) for m in context.data_maps] == [
        ("notes", True, False),
        ("scores", True, True),
    ]


def test_2004_thresholds_launch_data_and_objectives_come_from_the_manifest(
    services: Services, course: Any
) -> None:
    state = launch_on(services, course(SEQ_3RD), "lesson1").state  # module 1 draws one lesson

    assert state["cmi.scaled_passing_score"] == "0.6"  # primary objective, satisfiedByMeasure
    assert state["cmi.completion_threshold"] == "0.75"  # 3rd edition text
    assert state["cmi.launch_data"] == "lesson=1"
    assert state["cmi.time_limit_action"] == "continue,no message"
    assert (state["cmi.objectives.0.id"], state["cmi.objectives.1.id"]) == (
        "lesson1_obj", "lesson1_extra",
    )
    assert "cmi.max_time_allowed" not in state


def test_2004_max_time_allowed_comes_from_the_attempt_duration_limit(
    services: Services, course: Any
) -> None:
    state = launch(services, course(SEQ_3RD), item="quiz").state

    assert state["cmi.max_time_allowed"] == "PT1H30M"
    assert state["cmi.scaled_passing_score"] == "0.8"


def test_every_launch_supersedes_the_one_before(services: Services, course: Any) -> None:
    course_id = course(MULTI_12)
    first = launch(services, course_id)
    second = launch(services, course_id)

    old = services.tokens.read_runtime(first.context.token)
    new = services.tokens.read_runtime(second.context.token)
    assert new.generation == old.generation + 1


def test_a_relaunch_resumes_the_open_attempt(services: Services, course: Any) -> None:
    course_id = course(MULTI_12)
    first = launch(services, course_id)
    first.commit(("cmi.core.lesson_location", "p2"))

    again = launch(services, course_id)

    assert again.attempt_id == first.attempt_id and again.context.resumed
    assert again.context.acked_seq == 1
    assert again.state["cmi.core.lesson_location"] == "p2"
    assert again.state["cmi.core.entry"] == "resume"  # closed without LMSFinish: kept, resumed


def test_a_session_left_without_terminate_has_its_time_counted_at_the_next_launch(
    services: Services, course: Any
) -> None:
    course_id = course(FULL_4TH)
    launch(services, course_id).commit(("cmi.session_time", "PT3M"), ("cmi.exit", "suspend"))

    state = launch(services, course_id).state

    assert state["cmi.total_time"] == "PT0H3M0S"
    assert state["cmi.entry"] == "resume"


def test_a_relaunch_of_an_untouched_attempt_keeps_entry_ab_initio(
    services: Services, course: Any
) -> None:
    course_id = course(FULL_4TH)
    first = launch(services, course_id)
    again = launch(services, course_id)

    assert again.attempt_id == first.attempt_id
    assert again.state["cmi.entry"] == "ab-initio"


@pytest.mark.parametrize(
    ("name", "changes", "location", "entry"),
    [
        (MULTI_12, [("cmi.core.lesson_location", "page-7"), ("cmi.suspend_data", "q1=a;q2=b"),
                    ("cmi.core.exit", "suspend")], "cmi.core.lesson_location", "cmi.core.entry"),
        (FULL_4TH, [("cmi.location", "page-7"), ("cmi.suspend_data", "q1=a;q2=b"),
                    ("cmi.exit", "suspend")], "cmi.location", "cmi.entry"),
    ],
)
def test_resume_after_suspend_gives_back_location_and_suspend_data(
    services: Services, course: Any, name: str, changes: list, location: str, entry: str
) -> None:
    course_id = course(name)
    launch(services, course_id).finish(*changes)

    resumed = launch(services, course_id)

    assert resumed.context.resumed and resumed.context.attempt_number == 1
    assert resumed.state[entry] == "resume"
    assert resumed.state[location] == "page-7"
    assert resumed.state["cmi.suspend_data"] == "q1=a;q2=b"


def test_after_a_normal_exit_the_next_2004_launch_is_a_new_attempt(
    services: Services, course: Any
) -> None:
    course_id = course(FULL_4TH)
    first = launch(services, course_id)
    first.finish(("cmi.location", "page-9"), ("cmi.exit", ""))

    second = launch(services, course_id, item=first.context.item_identifier)

    assert second.attempt_id != first.attempt_id and second.context.attempt_number == 2
    assert second.context.acked_seq == 0
    assert second.state["cmi.entry"] == "ab-initio"
    assert "cmi.location" not in second.state


def test_after_a_normal_exit_a_1_2_launch_continues_with_an_empty_entry(
    services: Services, course: Any
) -> None:
    course_id = course(MULTI_12)
    first = launch(services, course_id)
    first.finish(
        ("cmi.core.lesson_location", "page-9"), ("cmi.core.session_time", "00:10:00"),
        ("cmi.core.exit", ""),
    )

    second = launch(services, course_id, item=first.context.item_identifier)

    assert second.attempt_id == first.attempt_id and second.context.attempt_number == 1
    assert second.state["cmi.core.entry"] == ""
    assert second.state["cmi.core.lesson_location"] == "page-9"
    assert second.state["cmi.core.total_time"] == "0000:10:00.00"


def test_the_item_of_the_latest_open_attempt_is_launched(services: Services, course: Any) -> None:
    course_id = course(MULTI_12)
    launch(services, course_id, item="quiz").finish(("cmi.core.exit", "suspend"))

    assert launch(services, course_id).context.item_identifier == "quiz"


def test_an_unknown_item_is_refused(services: Services, course: Any) -> None:
    with pytest.raises(NothingToLaunch):
        launch(services, course(MULTI_12), item="module")  # a cluster, not launchable


def test_review_reopens_the_finished_attempt_without_credit(
    services: Services, course: Any
) -> None:
    course_id = course(FULL_4TH)
    for item in ("sco_a", "sco_b"):
        done = launch(services, course_id, item=item)
        done.finish(("cmi.completion_status", "completed"), ("cmi.progress_measure", "1"),
                    ("cmi.location", f"end-{item}"))

    review = launch(services, course_id, item="sco_a", mode="review")

    assert review.context.mode == "review"
    assert review.state["cmi.mode"] == "review" and review.state["cmi.credit"] == "no-credit"
    assert review.state["cmi.location"] == "end-sco_a"
    assert review.context.attempt_number == 1


def test_review_of_an_unfinished_registration_is_a_normal_launch(
    services: Services, course: Any
) -> None:
    session = launch(services, course(FULL_4TH), mode="review")

    assert session.context.mode == "normal" and session.state["cmi.mode"] == "normal"


def test_a_learner_id_the_data_model_cannot_hold_is_percent_encoded(
    services: Services, course: Any
) -> None:
    state = launch(services, course(MULTI_12), "Jane Doe ü", "Doe, Jane").state

    assert state["cmi.core.student_id"] == "Jane%20Doe%20%C3%BC"


def test_an_expired_or_forged_link_is_refused(services: Services, course: Any) -> None:
    course_id = course(MULTI_12)
    expired = services.tokens.launch(course_id, "u1", "U", expires_in=-1)

    with pytest.raises(TokenExpired):
        services.launches.open_launch(expired)
    with pytest.raises(TokenRefused):
        services.launches.open_launch(expired[:-3] + "xyz")


def test_a_link_to_an_unknown_course_cannot_be_made(services: Services) -> None:
    with pytest.raises(CourseNotFound):
        services.launches.make_link_token("nope", "u1", "U")


def test_a_learner_keeps_the_version_they_started(
    services: Services, course: Any, package_zip: Any
) -> None:
    course_id = course(MULTI_12)
    launch(services, course_id)
    services.courses.import_zip(package_zip("scorm12-single-sco"), course_id=course_id)

    assert launch(services, course_id).context.version_number == 1
    assert launch(services, course_id, "newcomer").context.version_number == 2


def test_a_deleted_course_cannot_be_launched(
    services: Services, course: Any, data_dir: Path
) -> None:
    course_id = course(MULTI_12)
    token = services.launches.make_link_token(course_id, "u1", "U")
    services.courses.delete(course_id)

    with pytest.raises(CourseNotFound):
        services.launches.open_launch(token)


def test_a_version_id_reused_after_a_delete_is_not_mistaken_for_the_old_one(
    services: Services, course: Any
) -> None:
    old = course(MULTI_12)
    assert launch(services, old).context.version == "1.2"
    services.courses.delete(old)

    assert launch(services, course(FULL_4TH)).context.version == "2004"
