"""The player around the SCO over HTTP: the page, /runtime/toc, /runtime/navigate, the page
after Exit, return_to checks, and a designer's browse preview."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from scorm_player.services import Services
from scorm_player.web.common import EXTENSION
from scorm_player.web.player import safe_return_to
from tests.helpers import AuthActions
from tests.runtime_support import import_course

PREREQ_12 = "player-scorm12-prereq"
FLOW_2004 = "player-scorm2004-flow"
NAV = re.compile(r'<script type="application/json" id="player-nav">(.*?)</script>', re.S)


@pytest.fixture
def services(app: Flask) -> Services:
    return app.extensions[EXTENSION]


@pytest.fixture
def course(services: Services, package_zip: Any) -> Any:
    return lambda name: import_course(services, package_zip, name)


def launch_path(services: Services, course_id: str, learner: str = "u1") -> str:
    return "/launch/" + services.launches.make_link_token(course_id, learner, "Doe, Jane")


def open_player(client: FlaskClient, path: str) -> tuple[str, dict[str, Any]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    match = NAV.search(response.text)
    assert match, "no #player-nav blob"
    return response.text, json.loads(match.group(1))


def runtime_token(html: str) -> str:
    blob = re.search(r'id="scorm-runtime">(.*?)</script>', html, re.S)
    assert blob
    return json.loads(blob.group(1))["token"]


# region the page


def test_the_page_has_the_toc_controls_and_progress(
    client: FlaskClient, services: Services, course: Any
) -> None:
    html, nav = open_player(client, launch_path(services, course(PREREQ_12)))

    assert 'role="tree"' in html and 'aria-label="Course contents"' in html
    for item in ("welcome", "lesson", "handout", "quiz"):
        assert f'data-item-id="{item}"' in html
    assert 'data-item-id="notes"' not in html  # isvisible="false"
    assert 'id="toc-welcome"' in html and 'aria-current="location"' in html
    for control in ("previous", "continue", "exit"):
        assert f'data-nav="{control}"' in html
    assert 'data-nav="suspend-all"' not in html  # SCORM 1.2 has no suspendAll
    assert "0 of 4 complete" in html
    assert nav["item"] == {"id": "welcome", "title": "Welcome", "type": "sco"}
    assert nav["window"] == "same" and nav["fresh"] is True
    assert nav["state"]["controls"] == {"previous": False, "continue": False}


def test_2004_pages_offer_suspend_and_exit(
    client: FlaskClient, services: Services, course: Any
) -> None:
    html, _ = open_player(client, launch_path(services, course(FLOW_2004)))

    assert 'data-nav="suspend-all"' in html and 'data-nav="exit-all"' in html
    assert 'data-nav="exit"' not in html


def test_the_window_comes_from_the_link_else_the_course(
    client: FlaskClient, services: Services, course: Any
) -> None:
    course_id = course(FLOW_2004)
    path = launch_path(services, course_id)

    assert open_player(client, path + "?window=new")[1]["window"] == "new"
    services.courses.set_launch_window(course_id, "new")
    html, nav = open_player(client, path)
    assert nav["window"] == "new" and 'id="sco-frame"' not in html
    assert open_player(client, path + "?window=same")[1]["window"] == "same"


def test_a_refused_navigation_request_is_a_409_page_with_a_way_back(
    client: FlaskClient, services: Services, course: Any
) -> None:
    path = launch_path(services, course(PREREQ_12))
    client.get(path)

    response = client.get(path + "?nav=choice&item=quiz")

    assert response.status_code == 409
    assert "“Quiz” is not available yet" in response.text
    assert f'href="{path}"' in response.text


# endregion
# region JSON endpoints


def test_toc_answers_the_sessions_player_state(
    client: FlaskClient, services: Services, course: Any
) -> None:
    html, _ = open_player(client, launch_path(services, course(PREREQ_12)))

    response = client.get("/runtime/toc", headers={"Authorization": f"Bearer {runtime_token(html)}"})

    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    state = response.get_json()
    assert state["current"] == "welcome" and state["progress"] == {"completed": 0, "total": 4}
    assert [e["id"] for e in state["entries"]] == [
        "welcome", "module", "lesson", "handout", "quiz", "notes",
    ]


@pytest.mark.parametrize(
    ("headers", "status", "error"),
    [({}, 403, "forbidden"), ({"Authorization": "Bearer forged"}, 403, "forbidden")],
)
def test_toc_needs_a_genuine_token(
    client: FlaskClient, headers: dict[str, str], status: int, error: str
) -> None:
    response = client.get("/runtime/toc", headers=headers)

    assert response.status_code == status and response.get_json()["error"] == error


def test_toc_of_a_superseded_session_is_409(
    client: FlaskClient, services: Services, course: Any
) -> None:
    path = launch_path(services, course(PREREQ_12))
    old = runtime_token(open_player(client, path)[0])
    open_player(client, path)

    response = client.get("/runtime/toc", headers={"Authorization": f"Bearer {old}"})

    assert response.status_code == 409 and response.get_json()["error"] == "superseded"


@pytest.mark.parametrize(
    ("request_", "target", "answer"),
    [
        ("continue", None, {"kind": "deliver", "item": "page1"}),
        ("choice", "checkpoint", {"kind": "deliver", "item": "checkpoint"}),
        ("{target=page2}choice", None, {"kind": "deliver", "item": "page2"}),
        ("previous", None, {"kind": "refused", "message": "This is the first part of the course."}),
        ("suspendAll", None, {"kind": "exit", "suspend": True}),
    ],
)
def test_navigate_says_what_a_request_leads_to(
    client: FlaskClient, services: Services, course: Any, request_: str, target: str | None,
    answer: dict[str, Any],
) -> None:
    html, _ = open_player(client, launch_path(services, course(FLOW_2004)))

    response = client.post(
        "/runtime/navigate",
        json={"token": runtime_token(html), "request": request_, "target": target},
    )

    assert response.status_code == 200
    assert answer.items() <= response.get_json().items()


@pytest.mark.parametrize("body", [None, [], {"token": "t"}, {"token": 1, "request": "continue"}])
def test_navigate_needs_token_and_request(client: FlaskClient, body: Any) -> None:
    response = client.post("/runtime/navigate", json=body)

    assert response.status_code == 400 and response.get_json()["error"] == "bad_request"


# endregion
# region leaving


def test_the_page_after_exit_shows_progress_and_relaunches(
    client: FlaskClient, services: Services, course: Any
) -> None:
    path = launch_path(services, course(PREREQ_12))
    client.get(path)

    response = client.get(path + "/left?window=new&return_to=https://evil.example/")

    assert response.status_code == 200
    assert "You have left the course" in response.text
    assert "0 of 4 complete" in response.text
    assert f'href="{path}?window=new"' in response.text


def test_the_page_after_exit_refuses_a_bad_link(client: FlaskClient) -> None:
    assert client.get("/launch/forged/left").status_code == 403


@pytest.mark.parametrize(
    ("value", "allowed"),
    [
        ("/courses", True),
        ("http://localhost/courses?x=1", True),  # the app origin
        ("http://127.0.0.1/done", True),  # the content origin
        ("https://lms.example.com/course/7", True),  # SCORM_PLAYER_RETURN_HOSTS
        ("https://a.lms.example.net/", True),  # a wildcard host
        ("https://lms.example.com.evil.example/", False),
        ("//evil.example/", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
        ("https://user@lms.example.com/", False),
        ("", False),
    ],
)
def test_return_addresses_must_be_ours_or_allowed(
    settings_env: dict[str, str], value: str, allowed: bool
) -> None:
    from scorm_player.web import create_app

    app = create_app({
        "TESTING": True, "SECRET_KEY": "k", **settings_env,
        "SCORM_PLAYER_RETURN_HOSTS": "https://lms.example.com https://*.lms.example.net",
    })
    try:
        with app.test_request_context("/", base_url="http://127.0.0.1/"):
            assert (safe_return_to(value) == value) is allowed
    finally:
        app.extensions[EXTENSION].close()


# endregion
# region browse


def test_a_designer_preview_opens_the_player_in_browse_mode(
    client: FlaskClient, auth: AuthActions, services: Services, course: Any
) -> None:
    course_id = course(PREREQ_12)
    auth.login()

    response = client.get(f"/courses/{course_id}/play")

    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("http://127.0.0.1/launch/") and location.endswith("?mode=browse")
    html, nav = open_player(client, location)
    assert nav["state"]["mode"] == "browse" and "Preview" in html


def test_previews_need_a_designer(client: FlaskClient, services: Services, course: Any) -> None:
    response = client.get(f"/courses/{course(PREREQ_12)}/play")

    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_course_page_links_to_the_preview(
    client: FlaskClient, auth: AuthActions, services: Services, course: Any
) -> None:
    course_id = course(PREREQ_12)
    auth.login()

    page = client.get(f"/courses/{course_id}").text

    assert f'href="/courses/{course_id}/play"' in page


# endregion
