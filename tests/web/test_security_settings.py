"""The origin settings, and the links the command line prints with them."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from scorm_player.config import ConfigError, Settings
from scorm_player.web.security import APP, CONTENT, Origins
from tests.helpers import CliRun


def settings(**variables: str) -> Settings:
    return Settings.from_env({f"SCORM_PLAYER_{k}": v for k, v in variables.items()})


def test_the_defaults_are_the_local_pair() -> None:
    found = settings()

    assert (found.app_url, found.content_url, found.frame_ancestors) == (None, None, ())
    assert found.local_urls(5000) == ("http://localhost:5000", "http://127.0.0.1:5000")


def test_origins_are_normalised() -> None:
    found = settings(APP_URL="HTTPS://LMS.Example.com:443/", CONTENT_URL="http://c.example:8080",
                     FRAME_ANCESTORS="  https://a.example   https://*.b.example http://[::1]:80 ")

    assert found.app_url == "https://lms.example.com"
    assert found.content_url == "http://c.example:8080"
    assert found.frame_ancestors == ("https://a.example", "https://*.b.example", "http://[::1]")
    assert found.local_urls(5000) == ("https://lms.example.com", "http://c.example:8080")


@pytest.mark.parametrize(
    "value",
    ["lms.example.com", "ftp://lms.example.com", "https://lms.example.com/app",
     "https://lms.example.com/?x=1", "https://user@lms.example.com", "https://*.example.com",
     "https://lms.example.com:99999", "https://", "https://bad_host.example"],
)
def test_a_bad_origin_names_its_variable(value: str) -> None:
    with pytest.raises(ConfigError, match="SCORM_PLAYER_APP_URL"):
        settings(APP_URL=value, CONTENT_URL="https://content.example.com")


def test_both_urls_or_neither() -> None:
    with pytest.raises(ConfigError, match="set together"):
        settings(APP_URL="https://lms.example.com")
    with pytest.raises(ConfigError, match="set together"):
        settings(CONTENT_URL="https://content.example.com")


def test_a_second_port_on_the_same_host_is_not_a_second_origin_for_cookies() -> None:
    with pytest.raises(ConfigError, match="two different host names"):
        settings(APP_URL="http://example.com:8000", CONTENT_URL="http://example.com:9000")


def test_a_bad_frame_ancestor_is_refused() -> None:
    with pytest.raises(ConfigError, match="SCORM_PLAYER_FRAME_ANCESTORS"):
        settings(FRAME_ANCESTORS="https://ok.example *")


@pytest.mark.parametrize(
    ("host", "which"),
    [("localhost", APP), ("localhost:5000", APP), ("LOCALHOST:1", APP),
     ("127.0.0.1", CONTENT), ("127.0.0.1:5000", CONTENT),
     ("127.0.0.2", None), ("[::1]:5000", None), ("example.com", None), ("", None)],
)
def test_local_host_names(host: str, which: str | None) -> None:
    assert Origins(None, None).which(host) == which


@pytest.mark.parametrize(
    ("host", "which"),
    [("lms.example.com", APP), ("lms.example.com:443", APP), ("lms.example.com:80", None),
     ("content.example.com:8443", CONTENT), ("content.example.com", CONTENT),
     ("content.example.com:443", None), ("localhost", None), ("evil.lms.example.com", None)],
)
def test_configured_host_names(host: str, which: str | None) -> None:
    origins = Origins("https://lms.example.com", "https://content.example.com:8443")
    assert origins.which(host) == which


# region Links printed by the command line


@pytest.fixture
def course_id(runner: CliRun, package_zip: Any) -> str:
    result = runner.ok("import", package_zip("scorm12-single-sco"), "--json")
    return json.loads(result.stdout)["course_id"]


def test_launch_links_point_at_the_content_origin(runner: CliRun, course_id: str) -> None:
    local = runner.ok("launch-link", course_id, "--learner-id", "u1").stdout.strip()
    runner.env["SCORM_PLAYER_APP_URL"] = "https://lms.example.com"
    runner.env["SCORM_PLAYER_CONTENT_URL"] = "https://content.example.com"
    configured = runner.ok("launch-link", course_id, "--learner-id", "u1").stdout.strip()

    assert re.fullmatch(r"http://127\.0\.0\.1:5000/launch/[\w.-]+", local)
    assert re.fullmatch(r"https://content\.example\.com/launch/[\w.-]+", configured)


def test_demo_prints_the_app_origin_to_sign_in_and_the_content_origin_to_learn(
    runner: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flask import Flask

    monkeypatch.setattr(Flask, "run", lambda self, **kw: None)

    output = runner.ok("demo", "--port", "5126").output

    assert re.search(r"http://127\.0\.0\.1:5126/launch/\S+", output)
    assert "open http://localhost:5126/courses/" in output


def test_serving_another_host_name_without_urls_warns(
    runner: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flask import Flask

    monkeypatch.setattr(Flask, "run", lambda self, **kw: None)

    output = runner.ok("serve", "--host", "192.0.2.7").output

    assert "SCORM_PLAYER_APP_URL" in output and "192.0.2.7" in output


# endregion
