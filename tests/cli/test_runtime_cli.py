"""launch-link, results and policy: the run-time from the command line."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask

from tests.helpers import CliRun
from tests.runtime_support import Session

FULL_4TH = "scorm2004-4th-full"


@pytest.fixture
def course_id(runner: CliRun, package_zip: Any) -> str:
    result = runner.ok("import", package_zip(FULL_4TH), "--json")
    return json.loads(result.stdout)["course_id"]


def test_launch_link_prints_a_link_the_player_opens(
    runner: CliRun, course_id: str, app: Flask
) -> None:
    runner.env["SCORM_PLAYER_SECRET_KEY"] = app.config["SECRET_KEY"]

    result = runner.ok(
        "launch-link", course_id, "--learner-id", "u7", "--learner-name", "Doe, Jane",
        "--base-url", "https://lms.example/",
    )

    url = result.stdout.strip()
    assert re.fullmatch(r"https://lms\.example/launch/[\w.-]+", url)
    page = app.test_client().get(url.removeprefix("https://lms.example"))
    assert page.status_code == 200 and "Doe, Jane" in page.text


def test_launch_link_expires_when_asked(runner: CliRun, course_id: str, app: Flask) -> None:
    runner.env["SCORM_PLAYER_SECRET_KEY"] = app.config["SECRET_KEY"]
    url = runner.ok(
        "launch-link", course_id, "--learner-id", "u7", "--expires-in", "60"
    ).stdout.strip()

    services = app.extensions["scorm_player"]
    claims = services.tokens.read_launch(url.rsplit("/", 1)[1])
    assert claims.learner_name == "u7"  # the id stands in for a missing name
    assert claims.expires_at - services.tokens.clock() <= 60


def test_launch_link_can_ask_for_a_new_window_and_a_return_address(
    runner: CliRun, course_id: str
) -> None:
    url = runner.ok(
        "launch-link", course_id, "--learner-id", "u7", "--window", "new",
        "--return-to", "https://lms.example/course/7",
    ).stdout.strip()

    assert url.endswith("?window=new&return_to=https%3A%2F%2Flms.example%2Fcourse%2F7")


def test_window_shows_and_sets_where_a_course_opens(runner: CliRun, course_id: str) -> None:
    assert "same window (from the default)" in runner.ok("window", course_id).stdout
    assert "new window (from this course)" in runner.ok("window", course_id, "new").stdout
    assert "new window (from this course)" in runner.ok("window", course_id).stdout
    assert "same window (from the default)" in runner.ok("window", course_id, "default").stdout
    assert runner("window", "nope").exit_code == 1


def test_launch_link_for_an_unknown_course_fails_cleanly(runner: CliRun) -> None:
    result = runner("launch-link", "nope", "--learner-id", "u7")

    assert result.exit_code == 1
    assert "nope" in result.stderr and "Traceback" not in result.output


def test_results_json_reports_each_sco(runner: CliRun, course_id: str, app: Flask) -> None:
    services = app.extensions["scorm_player"]
    token = services.launches.make_link_token(course_id, "u7", "Doe, Jane")
    session = Session(services, services.launches.open_launch(token))
    session.finish(("cmi.location", "p3"), ("cmi.progress_measure", "0.9"),
                   ("cmi.session_time", "PT90S"), ("cmi.exit", "suspend"))

    result = runner.ok("results", course_id, "--learner-id", "u7", "--json")

    data = json.loads(result.stdout)
    assert data["learner"] == {"id": "u7", "name": "Doe, Jane"}
    assert data["summary"]["completion_status"] == "incomplete"
    first = data["scos"][0]
    assert (first["item"], first["attempt_count"], first["attempt_status"]) == ("sco_a", 1, "suspended")
    assert (first["completion_status"], first["location"], first["total_time"]) == (
        "completed", "p3", "PT0H1M30S",
    )
    assert first["objectives"][0]["identifier"] == "obj_a"
    assert data["scos"][1]["attempt_count"] == 0


def test_results_as_a_table(runner: CliRun, course_id: str, app: Flask) -> None:
    services = app.extensions["scorm_player"]
    token = services.launches.make_link_token(course_id, "u7", "Doe, Jane")
    services.launches.open_launch(token)

    result = runner.ok("results", course_id, "--learner-id", "u7")

    assert "Doe, Jane (u7)" in result.stdout
    assert re.search(r"sco_a\s+1\s+unknown", result.stdout)


def test_results_for_a_learner_who_never_launched(runner: CliRun, course_id: str) -> None:
    result = runner("results", course_id, "--learner-id", "ghost")

    assert result.exit_code == 1 and "ghost" in result.stderr


def test_policy_shows_and_sets_a_course_policy(runner: CliRun, course_id: str) -> None:
    assert "lenient (from SCORM_PLAYER_COMPAT_POLICY)" in runner.ok("policy", course_id).stdout
    assert "strict (from this course)" in runner.ok("policy", course_id, "strict").stdout
    assert "strict (from this course)" in runner.ok("policy", course_id).stdout
    assert "lenient (from SCORM_PLAYER_COMPAT_POLICY)" in runner.ok(
        "policy", course_id, "default"
    ).stdout


def test_the_global_policy_comes_from_the_environment(runner: CliRun, course_id: str) -> None:
    runner.env["SCORM_PLAYER_COMPAT_POLICY"] = "strict"

    assert "strict (from SCORM_PLAYER_COMPAT_POLICY)" in runner.ok("policy", course_id).stdout
