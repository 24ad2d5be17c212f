"""Tracking end to end: what a SCO sets in the player is what the LMS reads back.

Each test opens real launch links in Chromium, lets a probe SCO set values, Commit and
Terminate, then reads the learner's results through the tracking service (what
``scorm-player results`` prints): statuses, score, time, bookmark, suspend data,
interactions and objectives; then relaunches the same link to see what comes back.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import Page, expect

from scorm_player.cli import main
from scorm_player.datamodel.durations import parse_duration, parse_timespan
from tests.e2e.conftest import API, Launch, LiveServer
from tests.e2e.pages import Answer, Call, PlayerPage

pytestmark = pytest.mark.browser


def _play(player: PlayerPage, calls: list[Call]) -> list[Answer]:
    """Run ``calls`` in the SCO; all must succeed; then wait until the page saved."""
    answers = player.sco.run(calls)
    assert [a for a in answers if a.error != 0] == []
    player.expect_saved()
    return answers


def _sco(results: dict[str, Any], item: str) -> dict[str, Any]:
    return next(s for s in results["scos"] if s["item"] == item)


# region One session, stored


def test_a_12_session_is_stored(
    server: LiveServer, launch: Launch, probe12: str, learner: str
) -> None:
    player = launch(probe12, learner, item="sco-two")

    _play(player, [
        ["LMSInitialize", ""],
        ["LMSSetValue", "cmi.core.lesson_location", "page-3"],
        ["LMSSetValue", "cmi.suspend_data", "q1=a;q2=b"],
        ["LMSSetValue", "cmi.core.lesson_status", "incomplete"],
        ["LMSSetValue", "cmi.core.score.raw", "55"],
        ["LMSSetValue", "cmi.core.score.max", "100"],
        ["LMSSetValue", "cmi.interactions.0.id", "q1"],
        ["LMSSetValue", "cmi.interactions.0.type", "choice"],
        ["LMSSetValue", "cmi.interactions.0.result", "wrong"],
        ["LMSSetValue", "cmi.objectives.0.id", "obj1"],
        ["LMSSetValue", "cmi.objectives.0.status", "failed"],
        ["LMSCommit", ""],
        ["LMSSetValue", "cmi.core.session_time", "00:01:30"],
        ["LMSSetValue", "cmi.core.exit", "suspend"],
        ["LMSFinish", ""],
    ])

    sco = server.sco(probe12, learner, "sco-two")
    assert (sco["attempt_status"], sco["completion_status"], sco["success_status"]) == (
        "suspended", "incomplete", "unknown")
    assert (sco["score"]["raw"], sco["score"]["max"], sco["total_seconds"]) == (55, 100, 90)
    assert (sco["location"], sco["suspend_data"]) == ("page-3", "q1=a;q2=b")
    assert [(i["identifier"], i["type"], i["result"]) for i in sco["interactions"]] == [
        ("q1", "choice", "wrong")]
    assert [(o["identifier"], o["success_status"]) for o in sco["objectives"]] == [
        ("obj1", "failed")]


def test_a_2004_session_is_stored(
    server: LiveServer, launch: Launch, probe2004: str, learner: str
) -> None:
    player = launch(probe2004, learner, item="sco-two")

    _play(player, [
        ["Initialize", ""],
        ["SetValue", "cmi.location", "page-7"],
        ["SetValue", "cmi.suspend_data", "state=7"],
        ["SetValue", "cmi.completion_status", "completed"],
        ["SetValue", "cmi.success_status", "passed"],
        ["SetValue", "cmi.score.scaled", "0.9"],
        ["SetValue", "cmi.score.raw", "90"],
        ["SetValue", "cmi.progress_measure", "1"],
        ["SetValue", "cmi.interactions.0.id", "urn:q1"],
        ["SetValue", "cmi.interactions.0.type", "numeric"],
        ["SetValue", "cmi.interactions.0.learner_response", "42"],
        ["SetValue", "cmi.objectives.0.id", "urn:obj1"],
        ["SetValue", "cmi.objectives.0.success_status", "passed"],
        ["Commit", ""],
        ["SetValue", "cmi.session_time", "PT2M5S"],
        ["SetValue", "cmi.exit", "normal"],
        ["Terminate", ""],
    ])

    results = server.results(probe2004, learner)
    sco = _sco(results, "sco-two")
    assert (sco["attempt_status"], sco["completion_status"], sco["success_status"]) == (
        "finished", "completed", "passed")
    assert (sco["score"]["scaled"], sco["score"]["raw"], sco["progress_measure"]) == (0.9, 90, 1)
    assert (parse_duration(sco["total_time"]), sco["total_seconds"]) == (12500, 125)
    assert (sco["location"], sco["suspend_data"]) == ("page-7", "state=7")
    assert [(i["identifier"], i["learner_response"]) for i in sco["interactions"]] == [
        ("urn:q1", "42")]
    assert [(o["identifier"], o["success_status"]) for o in sco["objectives"]] == [
        ("urn:obj1", "passed")]
    assert results["summary"]["total_seconds"] == 125
    assert results["learner"] == {"id": learner, "name": "Doe, Jo"}


# endregion
# region Resume


# Where each version keeps what a resume gives back.
RESUME = {
    "1.2": {
        "location": "cmi.core.lesson_location", "entry": "cmi.core.entry", "exit": "cmi.core.exit",
        "session_time": "cmi.core.session_time", "total_time": "cmi.core.total_time",
        "times": ("00:01:00", "00:02:30"), "parse": parse_timespan, "package": "probe-scorm12",
    },
    "2004": {
        "location": "cmi.location", "entry": "cmi.entry", "exit": "cmi.exit",
        "session_time": "cmi.session_time", "total_time": "cmi.total_time",
        "times": ("PT1M", "PT2M30S"), "parse": parse_duration, "package": "probe-scorm2004",
    },
}


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_the_same_link_resumes_where_the_learner_left(
    server: LiveServer, page: Page, learner: str, version: str
) -> None:
    n, api = RESUME[version], API[version]
    course = server.course(n["package"])
    link = server.link(course, learner, item="sco-two")
    seen = []
    for visit, session_time in enumerate([*n["times"], None], start=1):
        player = PlayerPage.open(page, link)
        entry, location, data, total = player.sco.run([
            [api["initialize"], ""], [api["get_value"], n["entry"]],
            [api["get_value"], n["location"]], [api["get_value"], "cmi.suspend_data"],
            [api["get_value"], n["total_time"]],
        ])[1:]
        seen.append((entry.result, location.result, data.result, n["parse"](total.result)))
        if session_time is not None:
            _play(player, [
                [api["set_value"], n["location"], f"page-{visit}"],
                [api["set_value"], "cmi.suspend_data", f"visit={visit}"],
                [api["set_value"], n["session_time"], session_time],
                [api["set_value"], n["exit"], "suspend"], [api["terminate"], ""],
            ])

    first, second = (n["parse"](t) for t in n["times"])
    assert seen == [
        ("ab-initio", "", "", 0),
        ("resume", "page-1", "visit=1", first),
        ("resume", "page-2", "visit=2", first + second),
    ]
    assert server.sco(course, learner, "sco-two")["total_seconds"] == 210


# endregion
# region LMS rules at Terminate


@pytest.mark.parametrize(("raw", "status"), [("85", "passed"), ("80", "passed"), ("75", "failed")])
def test_12_mastery_score_turns_the_score_into_passed_or_failed(
    server: LiveServer, launch: Launch, probe12: str, learner: str, raw: str, status: str
) -> None:
    player = launch(probe12, learner, item="sco-one")

    _play(player, [
        ["LMSInitialize", ""], ["LMSSetValue", "cmi.core.lesson_status", "completed"],
        ["LMSSetValue", "cmi.core.score.raw", raw], ["LMSFinish", ""],
    ])

    sco = server.sco(probe12, learner, "sco-one")
    assert (sco["completion_status"], sco["success_status"]) == ("completed", status)


def test_2004_threshold_and_passing_score_decide_the_statuses(
    server: LiveServer, launch: Launch, probe2004: str, learner: str
) -> None:
    """sco-one: completion threshold 0.75 and scaled passing score 0.8 (its manifest)."""
    player = launch(probe2004, learner, item="sco-one")

    answers = _play(player, [
        ["Initialize", ""], ["GetValue", "cmi.completion_threshold"],
        ["GetValue", "cmi.scaled_passing_score"],
        ["SetValue", "cmi.completion_status", "incomplete"],
        ["SetValue", "cmi.progress_measure", "0.8"],
        ["SetValue", "cmi.success_status", "passed"], ["SetValue", "cmi.score.scaled", "0.7"],
        ["GetValue", "cmi.completion_status"], ["GetValue", "cmi.success_status"],
        ["Terminate", ""],
    ])

    assert [a.result for a in answers[1:3]] == ["0.75", "0.8"]
    assert [a.result for a in answers[7:9]] == ["completed", "failed"]
    sco = server.sco(probe2004, learner, "sco-one")
    assert (sco["completion_status"], sco["success_status"]) == ("completed", "failed")


# endregion
# region Several SCOs


def test_a_second_sco_of_the_course_is_tracked_apart(
    server: LiveServer, launch: Launch, probe2004: str, learner: str
) -> None:
    _play(launch(probe2004, learner, item="sco-one"), [
        ["Initialize", ""], ["SetValue", "cmi.location", "one"],
        ["SetValue", "cmi.exit", "suspend"], ["Terminate", ""],
    ])
    _play(launch(probe2004, learner, item="sco-two"), [
        ["Initialize", ""], ["SetValue", "cmi.location", "two"],
        ["SetValue", "cmi.completion_status", "completed"], ["SetValue", "cmi.exit", "suspend"],
        ["Terminate", ""],
    ])

    player = launch(probe2004, learner)  # no item: the latest open attempt's

    expect(player.heading).to_have_text("Probe two")
    results = server.results(probe2004, learner)
    assert [(s["item"], s["location"], s["completion_status"]) for s in results["scos"]] == [
        ("sco-one", "one", "unknown"), ("sco-two", "two", "completed"),
    ]
    assert results["summary"]["completion_status"] == "incomplete"


# endregion
# region Review


def _complete_both_scos(launch: Launch, course: str, learner: str) -> None:
    for item, measure in (("sco-one", "0.9"), ("sco-two", "1")):
        _play(launch(course, learner, item=item), [
            ["Initialize", ""], ["SetValue", "cmi.location", f"end-of-{item}"],
            ["SetValue", "cmi.progress_measure", measure],
            ["SetValue", "cmi.completion_status", "completed"],
            ["SetValue", "cmi.score.scaled", "0.9"], ["SetValue", "cmi.success_status", "passed"],
            ["Terminate", ""],
        ])


def test_review_after_completion_shows_the_record_and_stores_nothing(
    server: LiveServer, launch: Launch, probe2004: str, learner: str
) -> None:
    _complete_both_scos(launch, probe2004, learner)
    before = server.results(probe2004, learner)
    assert before["summary"]["completion_status"] == "completed"

    player = launch(probe2004, learner, item="sco-two", mode="review")
    answers = _play(player, [
        ["Initialize", ""], ["GetValue", "cmi.mode"], ["GetValue", "cmi.credit"],
        ["GetValue", "cmi.location"], ["GetValue", "cmi.completion_status"],
        ["SetValue", "cmi.location", "changed in review"],
        ["SetValue", "cmi.completion_status", "incomplete"],
        ["Commit", ""], ["Terminate", ""],
    ])

    expect(player.review_badge).to_be_visible()
    assert [a.result for a in answers[1:5]] == [
        "review", "no-credit", "end-of-sco-two", "completed"]
    after = server.results(probe2004, learner)
    assert after["summary"] == before["summary"]
    assert [_recorded(s) for s in after["scos"]] == [_recorded(s) for s in before["scos"]]
    assert _sco(after, "sco-two")["last_access_at"] > _sco(before, "sco-two")["last_access_at"]


def _recorded(sco: dict[str, Any]) -> dict[str, Any]:
    """A SCO's results but for when it was last opened (a review is an access)."""
    return {k: v for k, v in sco.items() if k != "last_access_at"}


def test_review_before_completion_is_a_normal_launch(
    launch: Launch, probe2004: str, learner: str
) -> None:
    player = launch(probe2004, learner, item="sco-two", mode="review")

    answers = player.sco.run([
        ["Initialize", ""], ["GetValue", "cmi.mode"], ["GetValue", "cmi.credit"],
    ])

    assert [a.result for a in answers[1:]] == ["normal", "credit"]
    expect(player.review_badge).to_have_count(0)


# endregion
# region The command line, as an LMS script uses it


def test_a_link_from_the_cli_is_tracked_and_reported_by_the_cli(
    server: LiveServer, page: Page, probe12: str, learner: str
) -> None:
    cli = CliRunner()
    env = server.settings_env
    printed = cli.invoke(main, [
        "launch-link", probe12, "--learner-id", learner, "--learner-name", "Liddell, Alice",
        "--base-url", server.url,
    ], env=env)
    assert printed.exit_code == 0, printed.output

    player = PlayerPage.open(page, printed.output.strip())
    answers = _play(player, [
        ["LMSInitialize", ""], ["LMSGetValue", "cmi.core.student_id"],
        ["LMSGetValue", "cmi.core.student_name"],
        ["LMSSetValue", "cmi.core.lesson_status", "passed"],
        ["LMSSetValue", "cmi.core.score.raw", "92"], ["LMSFinish", ""],
    ])

    assert [a.result for a in answers[1:3]] == [learner, "Liddell, Alice"]
    report = cli.invoke(main, ["results", probe12, "--learner-id", learner, "--json"], env=env)
    assert report.exit_code == 0, report.output
    sco = _sco(json.loads(report.output), "sco-one")
    assert (sco["completion_status"], sco["success_status"], sco["score"]["raw"]) == (
        "completed", "passed", 92)


# endregion
