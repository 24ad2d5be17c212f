"""The scorm-player command: clean output, JSON for scripts, exit status 1 and no traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.helpers import CliRun
from tests.helpers import files_under

SINGLE = "scorm12-single-sco"
MULTI = "scorm12-multi-sco"
BAD = "bad-missing-launch-file"
IMPORT_KEYS = {"course_id", "version", "title", "sco_count", "warnings", "errors"}


def import_json(runner: CliRun, *args: Any) -> tuple[int, dict[str, Any]]:
    result = runner("import", *args, "--json")
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def test_import_json(runner: CliRun, package_zip: Any) -> None:
    code, data = import_json(runner, package_zip(SINGLE))

    assert code == 0
    assert IMPORT_KEYS <= data.keys()
    assert data["ok"] is True
    assert data["version"] == "1.2"
    assert data["course_version"] == 1
    assert data["sco_count"] == 1
    assert data["errors"] == []
    assert isinstance(data["warnings"], list)


def test_import_prints_a_summary(runner: CliRun, package_zip: Any) -> None:
    result = runner.ok("import", package_zip(MULTI))

    _, data = import_json(runner, package_zip(MULTI))
    assert data["course_id"] != ""
    assert data["title"] in result.output
    assert "SCORM 1.2" in result.output
    assert f"SCOs:         {data['sco_count']}" in result.output
    assert "course id:" in result.output


def test_import_a_new_version(runner: CliRun, package_zip: Any) -> None:
    _, first = import_json(runner, package_zip(SINGLE))
    code, second = import_json(runner, package_zip(MULTI), "--course-id", first["course_id"])

    assert code == 0
    assert (second["course_id"], second["course_version"]) == (first["course_id"], 2)


def test_import_into_an_unknown_course(runner: CliRun, package_zip: Any) -> None:
    code, data = import_json(runner, package_zip(SINGLE), "--course-id", "nope")
    assert code == 1
    assert data["ok"] is False and "nope" in data["errors"][0]["message"]


def test_a_rejected_package_exits_1_with_its_errors(
    runner: CliRun, package_zip: Any, data_dir: Path
) -> None:
    code, data = import_json(runner, package_zip(BAD))

    assert code == 1
    assert data["ok"] is False and data["course_id"] is None
    error = next(e for e in data["errors"] if e["code"] == "launch_file_missing")
    assert error["file"] == "imsmanifest.xml" and error["line"] > 0
    assert error["message"] and "hint" in error
    assert files_under(data_dir / ".staging") == []

    human = runner("import", package_zip(BAD))
    assert human.exit_code == 1
    assert "launch_file_missing" in human.stderr
    assert "Traceback" not in human.output


def test_a_file_that_is_not_a_zip(runner: CliRun, tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip")

    code, data = import_json(runner, junk)

    assert code == 1
    assert data["errors"][0]["code"] == "zip_unreadable"


@pytest.mark.parametrize("as_json", [False, True])
def test_a_missing_file_is_a_clean_error(runner: CliRun, tmp_path: Path, as_json: bool) -> None:
    args = ["import", tmp_path / "missing.zip"] + (["--json"] if as_json else [])
    result = runner(*args)

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    if as_json:
        assert json.loads(result.stdout)["errors"][0]["code"] == "file_unreadable"
    else:
        assert "missing.zip: no such file" in result.stderr


def test_a_folder_is_not_a_package(runner: CliRun, tmp_path: Path) -> None:
    result = runner("import", tmp_path)
    assert result.exit_code == 1
    assert "not a file" in result.stderr


def test_courses_lists_what_was_imported(runner: CliRun, package_zip: Any) -> None:
    assert "No courses yet" in runner.ok("courses").output
    _, data = import_json(runner, package_zip(SINGLE))

    listed = json.loads(runner.ok("courses", "--json").stdout)
    table = runner.ok("courses").output

    assert [c["course_id"] for c in listed] == [data["course_id"]]
    assert listed[0]["latest_version"] == 1 and listed[0]["versions"] == [1]
    assert data["course_id"] in table and data["title"] in table


def test_delete_asks_first(runner: CliRun, package_zip: Any, data_dir: Path) -> None:
    _, data = import_json(runner, package_zip(SINGLE))
    course_id = data["course_id"]

    declined = runner("delete", course_id, input="n\n")
    assert declined.exit_code == 1
    assert (data_dir / course_id).is_dir()

    accepted = runner("delete", course_id, input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert not (data_dir / course_id).exists()
    assert json.loads(runner.ok("courses", "--json").stdout) == []


def test_delete_with_yes_and_unknown_ids(runner: CliRun, package_zip: Any) -> None:
    _, data = import_json(runner, package_zip(SINGLE))
    assert "Deleted" in runner.ok("delete", data["course_id"], "--yes").output

    again = runner("delete", data["course_id"], "--yes")
    assert again.exit_code == 1
    assert "no course" in again.stderr


def test_create_user(runner: CliRun) -> None:
    assert "Created designer 'ada'" in runner.ok("create-user", "ada", "--password", "pw").output
    prompted = runner("create-user", "bob", "--role", "admin", input="pw\npw\n")
    assert prompted.exit_code == 0 and "Created admin 'bob'" in prompted.output
    duplicate = runner("create-user", "ada", "--password", "pw")
    assert duplicate.exit_code == 1 and "already exists" in duplicate.stderr


def test_db_upgrade(runner: CliRun) -> None:
    assert "Upgraded" in runner.ok("db", "upgrade").output
    assert "Already up to date" in runner.ok("db", "upgrade").output


def test_a_bad_setting_is_a_clean_error(runner: CliRun) -> None:
    runner.env["SCORM_PLAYER_MAX_MEMBERS"] = "lots"
    result = runner("courses")
    assert result.exit_code == 1
    assert "SCORM_PLAYER_MAX_MEMBERS" in result.stderr
    assert "Traceback" not in result.output


def test_serve_prints_the_url(runner: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(Flask, "run", lambda self, **kw: calls.append(kw))

    result = runner.ok("serve", "--port", "5123")

    assert "http://localhost:5123/" in result.output  # the app origin
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 5123


def test_demo_imports_once_and_prints_the_sign_in(
    runner: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(Flask, "run", lambda self, **kw: calls.append(kw))

    first = runner.ok("demo", "--port", "5124")
    second = runner.ok("demo", "--no-serve")

    assert "Demo course imported" in first.output
    assert "username: admin" in first.output and "password: admin" in first.output
    assert "demo only" in first.output
    assert "http://localhost:5124/courses/" in first.output
    assert "already imported" in second.output
    assert len(calls) == 1
    assert len(json.loads(runner.ok("courses", "--json").stdout)) == 1


def test_demo_prints_a_learner_launch_link_that_opens_the_player(
    runner: CliRun, settings_env: dict[str, str]
) -> None:
    from scorm_player.web import create_app
    from scorm_player.web.common import EXTENSION

    result = runner.ok("demo", "--no-serve", "--port", "5125")

    link = re.search(r"http://127\.0\.0\.1:5125(/launch/\S+)", result.output)
    assert link, result.output
    app = create_app({"TESTING": True, **settings_env})  # the CLI's own secret key
    try:
        page = app.test_client().get(link.group(1))
    finally:
        app.extensions[EXTENSION].close()
    assert page.status_code == 200
    assert 'id="scorm-runtime"' in page.text
