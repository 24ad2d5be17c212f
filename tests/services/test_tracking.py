"""Commits per docs/runtime-protocol.md section 3: seq, gaps, validation, supersession, parts."""

from __future__ import annotations

import time
from typing import Any

import pytest

from scorm_player.services import CommitRefused, InvalidInput, Services, TokenExpired, TokenRefused
from tests.runtime_support import Session, commit_log, import_course, launch

MULTI_12 = "scorm12-multi-sco"
FULL_4TH = "scorm2004-4th-full"


@pytest.fixture
def session12(services: Services, package_zip: Any) -> Session:
    return launch(services, import_course(services, package_zip, MULTI_12))


@pytest.fixture
def session2004(services: Services, package_zip: Any) -> Session:
    return launch(services, import_course(services, package_zip, FULL_4TH))


def attempt(session: Session) -> Any:
    """The stored attempt, as the next launch would read it."""
    registration = session.context.registration_id
    with session.services.tracking._tracking.unit(registration) as unit:
        assert unit is not None
        return unit.attempt(session.attempt_id)


def refusal(call: Any) -> CommitRefused:
    with pytest.raises(CommitRefused) as caught:
        call()
    return caught.value


def test_a_commit_updates_the_state_and_the_normalised_columns(session2004: Session) -> None:
    result = session2004.commit(
        ("cmi.location", "p4"), ("cmi.suspend_data", "s"), ("cmi.score.raw", "7"),
        ("cmi.score.max", "10"), ("cmi.score.scaled", "0.7"), ("cmi.progress_measure", "0.5"),
    )

    assert result.ack == 1 and result.status["score"]["scaled"] == 0.7
    stored = attempt(session2004)
    assert stored.acked_seq == 1
    assert stored.state["cmi.location"] == "p4"
    columns = stored.columns
    assert (columns.location, columns.suspend_data) == ("p4", "s")
    assert (columns.score_raw, columns.score_max, columns.score_scaled) == (7.0, 10.0, 0.7)
    assert columns.progress_measure == 0.5
    assert columns.completion_status == "incomplete"  # threshold 0.8 > 0.5


def test_a_12_lesson_status_is_normalised(session12: Session) -> None:
    session12.commit(("cmi.core.lesson_status", "failed"), ("cmi.core.score.raw", "40"))

    columns = attempt(session12).columns
    assert (columns.completion_status, columns.success_status) == ("completed", "failed")
    assert columns.score_raw == 40.0 and columns.score_scaled is None


def test_a_commit_rebuilds_interaction_and_objective_rows(
    services: Services, session2004: Session
) -> None:
    session2004.commit(
        ("cmi.interactions.0.id", "q1"), ("cmi.interactions.0.type", "choice"),
        ("cmi.interactions.0.correct_responses.0.pattern", "a[,]b"),
        ("cmi.interactions.0.learner_response", "a"), ("cmi.interactions.0.result", "incorrect"),
        ("cmi.interactions.0.objectives.0.id", "obj_a"), ("cmi.objectives.0.success_status", "failed"),
    )
    session2004.commit(("cmi.interactions.1.id", "q2"), ("cmi.interactions.1.weighting", "2"))

    scos = services.tracking.results(session2004.context.course_id, "alice").scos
    latest = scos[0].latest
    assert latest is not None
    assert [(i.identifier, i.type, i.learner_response, i.result) for i in latest.interactions] == [
        ("q1", "choice", "a", "incorrect"), ("q2", None, None, None),
    ]
    assert latest.interactions[0].correct_responses == ("a[,]b",)
    assert latest.interactions[0].objective_ids == ("obj_a",)
    assert latest.interactions[1].weighting == 2.0
    assert [(o.identifier, o.success_status) for o in latest.objectives] == [("obj_a", "failed")]


def test_a_replayed_seq_is_acknowledged_and_not_applied(session2004: Session) -> None:
    session2004.commit(("cmi.location", "first"))
    session2004.commit(("cmi.location", "second"))

    replay = session2004.services.tracking.apply_commit(
        session2004.context.token, session2004.attempt_id, 1, [["cmi.location", "first"]]
    )

    assert replay.ack == 1 and replay.replayed
    stored = attempt(session2004)
    assert stored.acked_seq == 2 and stored.state["cmi.location"] == "second"
    assert len(commit_log(session2004.services, session2004.attempt_id)) == 2


def test_a_gap_is_refused_with_the_seq_expected(session2004: Session) -> None:
    session2004.commit(("cmi.location", "first"))
    session2004.seq += 1  # batch 2 lost on the way

    refused = refusal(lambda: session2004.commit(("cmi.location", "third")))

    assert refused.reason == "gap" and refused.details["expected"] == 2
    assert attempt(session2004).state["cmi.location"] == "first"


def test_one_invalid_value_rejects_the_whole_batch(session2004: Session) -> None:
    refused = refusal(
        lambda: session2004.commit(("cmi.location", "p9"), ("cmi.score.scaled", "1.5"))
    )

    assert refused.reason == "invalid"
    assert refused.details == {"element": "cmi.score.scaled", "code": "407"}
    stored = attempt(session2004)
    assert stored.acked_seq == 0 and "cmi.location" not in stored.state
    assert stored.columns.location is None
    assert commit_log(session2004.services, session2004.attempt_id) == []


def test_a_read_only_element_is_invalid_with_its_12_code(session12: Session) -> None:
    refused = refusal(lambda: session12.commit(("cmi.core.student_id", "mallory")))

    assert refused.details == {"element": "cmi.core.student_id", "code": "403"}


def test_the_seq_refused_as_invalid_can_be_used_again(session2004: Session) -> None:
    refusal(lambda: session2004.commit(("cmi.score.scaled", "2")))
    session2004.seq -= 1

    assert session2004.commit(("cmi.score.scaled", "0.2")).ack == 1


def test_a_superseded_launch_is_refused_and_overwrites_nothing(
    services: Services, session2004: Session
) -> None:
    session2004.commit(("cmi.location", "tab one"))
    newer = launch(services, session2004.context.course_id)

    refused = refusal(lambda: session2004.commit(("cmi.location", "stale tab")))

    assert refused.reason == "superseded"
    assert attempt(newer).state["cmi.location"] == "tab one"
    assert newer.commit(("cmi.location", "tab two")).ack == 2


def test_an_expired_token_is_refused(
    services: Services, session2004: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services.tokens, "clock", lambda: time.time() + 1801)

    with pytest.raises(TokenExpired):
        session2004.commit(("cmi.location", "late"))
    assert attempt(session2004).acked_seq == 0


def test_a_token_for_another_attempt_is_refused(services: Services, session2004: Session) -> None:
    refused = refusal(
        lambda: services.tracking.apply_commit(
            session2004.context.token, session2004.attempt_id + 1, 1, []
        )
    )
    assert refused.reason == "forbidden"


def test_a_forged_token_is_refused(services: Services, session2004: Session) -> None:
    with pytest.raises(TokenRefused):
        services.tracking.apply_commit("forged", session2004.attempt_id, 1, [])


@pytest.mark.parametrize(
    ("changes", "seq", "part"),
    [
        ([["cmi.location"]], 1, (1, 1)),
        ([["cmi.location", 3]], 1, (1, 1)),
        ("cmi.location", 1, (1, 1)),
        ([], 0, (1, 1)),
        ([], 1, (3, 2)),
        ([], 1, (0, 1)),
        ([["cmi.location", "\ud800"]], 1, (1, 1)),
    ],
)
def test_a_malformed_batch_is_invalid_input(
    services: Services, session2004: Session, changes: Any, seq: int, part: tuple[int, int]
) -> None:
    with pytest.raises(InvalidInput):
        services.tracking.apply_commit(
            session2004.context.token, session2004.attempt_id, seq, changes, False, part
        )


def test_renew_gives_a_fresh_token_for_the_same_session(
    services: Services, session2004: Session
) -> None:
    renewal = services.tracking.renew(session2004.context.token)

    assert renewal.token_ttl == 1800
    assert services.tokens.read_runtime(renewal.token) == services.tokens.read_runtime(
        session2004.context.token
    )


def test_renew_is_refused_once_superseded(services: Services, session2004: Session) -> None:
    launch(services, session2004.context.course_id)

    assert refusal(lambda: services.tracking.renew(session2004.context.token)).reason == (
        "superseded"
    )


def test_renew_accepts_a_token_that_expired_within_the_grace(
    services: Services, session2004: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services.tokens, "clock", lambda: time.time() + 3600)

    renewal = services.tracking.renew(session2004.context.token)

    assert services.tokens.read_runtime(renewal.token).attempt_id == session2004.attempt_id


def test_renew_is_refused_after_the_grace(
    services: Services, session2004: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services.tokens, "clock", lambda: time.time() + 2 * 24 * 3600)

    with pytest.raises(TokenExpired):
        services.tracking.renew(session2004.context.token)


def test_split_parts_are_applied_together_once_all_arrived(
    services: Services, session2004: Session
) -> None:
    token, attempt_id = session2004.context.token, session2004.attempt_id

    def send(index: int, changes: list[list[str]], final: bool = False) -> Any:
        return services.tracking.apply_commit(token, attempt_id, 1, changes, final, (index, 3))

    assert send(3, [["cmi.exit", "suspend"]], final=True).pending == (1, 3)
    assert send(1, [["cmi.interactions.0.id", "q1"]]).pending == (2, 3)
    assert attempt(session2004).acked_seq == 0
    done = send(2, [["cmi.interactions.0.type", "true-false"]])

    assert done.ack == 1 and done.pending is None
    stored = attempt(session2004)
    assert stored.status == "suspended"  # the final flag came with part 3
    assert stored.state["cmi.interactions.0.type"] == "true-false"
    log = commit_log(services, attempt_id)
    assert [row.changes for row in log] == [
        [["cmi.interactions.0.id", "q1"], ["cmi.interactions.0.type", "true-false"],
         ["cmi.exit", "suspend"]]
    ]


def test_a_resent_part_replaces_the_one_received(services: Services, session2004: Session) -> None:
    token, attempt_id = session2004.context.token, session2004.attempt_id
    services.tracking.apply_commit(token, attempt_id, 1, [["cmi.location", "a"]], False, (1, 2))
    services.tracking.apply_commit(token, attempt_id, 1, [["cmi.location", "b"]], False, (1, 2))
    services.tracking.apply_commit(token, attempt_id, 1, [], False, (2, 2))

    assert attempt(session2004).state["cmi.location"] == "b"


def test_a_value_cut_across_parts_is_stored_whole(services: Services, session2004: Session) -> None:
    token, attempt_id = session2004.context.token, session2004.attempt_id
    value = "".join(f'{{"slide":{n},"score":{n * 7 % 101}}},' for n in range(6000))  # ~140,000

    def send(index: int, changes: list[list[str]]) -> Any:
        return services.tracking.apply_commit(token, attempt_id, 1, changes, True, (index, 3))

    first = [["cmi.location", "p9"], ["cmi.suspend_data", value[:50000]]]
    middle = [["cmi.suspend_data", value[50000:100000], "+"]]
    last = [["cmi.suspend_data", value[100000:], "+"], ["cmi.exit", "suspend"]]
    assert send(3, last).missing == (1, 2)
    assert send(1, first).missing == (2,)
    assert send(1, first).pending == (2, 3)  # a resent part replaces the one kept
    done = send(2, middle)

    assert done.ack == 1
    stored = attempt(session2004)
    assert stored.status == "suspended" and stored.state["cmi.suspend_data"] == value
    assert stored.columns.suspend_data == value and stored.state["cmi.location"] == "p9"
    [log] = commit_log(services, attempt_id)
    assert log.changes == [["cmi.location", "p9"], ["cmi.suspend_data", value], ["cmi.exit", "suspend"]]


@pytest.mark.parametrize(
    ("second", "refusal"),
    [([["cmi.mode", "x"]], CommitRefused), ([["cmi.suspend_data", "b", "+"]], InvalidInput)],
    ids=["an invalid value", "a continuation of another element"],
)
def test_a_refused_split_batch_keeps_none_of_its_parts(
    services: Services, session2004: Session, second: list[list[str]], refusal: type[Exception]
) -> None:
    token, attempt_id = session2004.context.token, session2004.attempt_id
    services.tracking.apply_commit(token, attempt_id, 1, [["cmi.location", "x"]], False, (1, 2))

    with pytest.raises(refusal):
        services.tracking.apply_commit(token, attempt_id, 1, second, False, (2, 2))
    result = services.tracking.apply_commit(token, attempt_id, 1, [], False, (2, 2))

    assert result.pending == (1, 2) and result.missing == (1,)  # part 1 went with the batch
    assert attempt(session2004).acked_seq == 0


def test_an_ended_session_takes_no_new_batches(session2004: Session) -> None:
    session2004.finish(("cmi.exit", "normal"))

    assert refusal(lambda: session2004.commit(("cmi.location", "after"))).reason == "closed"


def test_nul_characters_are_stored_as_replacement_characters(session2004: Session) -> None:
    session2004.commit(("cmi.suspend_data", "a\x00b"))

    assert attempt(session2004).state["cmi.suspend_data"] == "a\ufffdb"


def test_every_applied_batch_is_logged(services: Services, session2004: Session) -> None:
    session2004.commit(("cmi.location", "1"))
    session2004.finish(("cmi.exit", "suspend"))

    log = commit_log(services, session2004.attempt_id)
    assert [(row.seq, row.final, row.changes) for row in log] == [
        (1, False, [["cmi.location", "1"]]),
        (2, True, [["cmi.exit", "suspend"]]),
    ]
    assert all(row.received_at is not None for row in log)


def test_a_review_session_stores_nothing(services: Services, package_zip: Any) -> None:
    course_id = import_course(services, package_zip, "scorm12-single-sco")
    launch(services, course_id).finish(
        ("cmi.core.lesson_status", "passed"), ("cmi.core.lesson_location", "end")
    )
    review = launch(services, course_id, mode="review")

    assert review.commit(("cmi.core.lesson_location", "start")).ack == review.seq
    review.finish(("cmi.core.lesson_status", "failed"))

    stored = attempt(review)
    assert stored.state["cmi.core.lesson_location"] == "end"
    assert stored.state["cmi.core.lesson_status"] == "passed"
    assert stored.columns.success_status == "passed"


def test_renew_is_refused_once_the_course_is_deleted(
    services: Services, session2004: Session
) -> None:
    services.courses.delete(session2004.context.course_id)

    assert refusal(lambda: services.tracking.renew(session2004.context.token)).reason == (
        "forbidden"
    )
    assert refusal(lambda: session2004.commit(("cmi.location", "x"))).reason == "forbidden"
