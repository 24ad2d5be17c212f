"""The player page and the run-time endpoints, as the adapter and sendBeacon use them."""

from __future__ import annotations

import json
import re
import time
import zlib
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from scorm_player.services import Services
from scorm_player.services.tracking_body import DEFLATE_MARKER
from scorm_player.web.common import EXTENSION
from tests.runtime_support import import_course

FULL_4TH = "scorm2004-4th-full"
SEQ_3RD = "scorm2004-3rd-sequencing"
BLOB = re.compile(r'<script type="application/json" id="scorm-runtime">(.*?)</script>', re.S)


@pytest.fixture
def services(app: Flask) -> Services:
    return app.extensions[EXTENSION]


@pytest.fixture
def course_id(services: Services, package_zip: Any) -> str:
    return import_course(services, package_zip, FULL_4TH)


@pytest.fixture
def link(services: Services, course_id: str) -> str:
    return "/launch/" + services.launches.make_link_token(course_id, "u1", "Doe, Jane")


def open_player(client: FlaskClient, link: str) -> tuple[str, dict[str, Any]]:
    response = client.get(link)
    assert response.status_code == 200, response.text
    match = BLOB.search(response.text)
    assert match, "no #scorm-runtime blob"
    return response.text, json.loads(match.group(1))


@pytest.fixture
def blob(client: FlaskClient, link: str) -> dict[str, Any]:
    return open_player(client, link)[1]


def post(client: FlaskClient, path: str, body: Any, content_type: str = "text/plain") -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(path, data=data, content_type=content_type)


def commit_body(blob: dict[str, Any], seq: int = 1, **fields: Any) -> dict[str, Any]:
    return {"token": blob["token"], "attempt": blob["attempt"]["id"], "seq": seq,
            "changes": [["cmi.location", "p4"]], **fields}


# region The player page


def test_the_launch_page_embeds_the_runtime_blob(client: FlaskClient, link: str) -> None:
    html, blob = open_player(client, link)

    assert blob["version"] == "2004" and blob["policy"] == "lenient" and blob["mode"] == "normal"
    assert blob["definitions"]["version"] == "2004"
    assert blob["attempt"] == {"id": 1, "number": 1, "acked_seq": 0, "item": "sco_a",
                               "title": "SCO A"}
    assert blob["state"]["cmi.learner_name"] == "Doe, Jane"
    assert blob["data_maps"][0] == {"id": "notes", "read_shared_data": True,
                                    "write_shared_data": False}
    assert blob["token_ttl"] == 1800 and blob["commit_interval_ms"] == 30000
    assert blob["endpoints"] == {"commit": "/runtime/commit", "renew": "/runtime/renew",
                                 "datamodel": "/runtime/datamodel/2004.json"}
    assert blob["storage_key"] == "scorm-player:attempt:1"
    assert blob["launch_url"].startswith("/learn/") and blob["launch_url"].endswith("/a/index.html")


def test_the_page_loads_the_adapter_before_the_sco(client: FlaskClient, link: str) -> None:
    html, blob = open_player(client, link)

    frame = re.search(r"<iframe[^>]*>", html)
    assert frame and 'id="sco-frame"' in frame.group(0)
    assert " src=" not in frame.group(0)
    assert f'data-launch-url="{blob["launch_url"]}"' in frame.group(0)
    assert html.index("js/scorm-runtime.js") < html.index("js/scorm-api.js")
    assert html.index('id="scorm-runtime"') < html.index("js/scorm-runtime.js")
    assert 'id="save-status"' in html
    assert "Liddell" not in html and "SCO A" in html and "Full 4th Edition" in html


def test_the_page_is_not_cached(client: FlaskClient, link: str) -> None:
    assert client.get(link).headers["Cache-Control"] == "no-store"


def test_the_sco_loads_without_a_sign_in(client: FlaskClient, blob: dict[str, Any]) -> None:
    response = client.get(blob["launch_url"])

    assert response.status_code == 200 and response.mimetype == "text/html"
    response.close()


def test_launch_parameters_and_base_reach_the_sco_url(
    client: FlaskClient, services: Services, package_zip: Any
) -> None:
    course_id = import_course(services, package_zip, SEQ_3RD)
    token = services.launches.make_link_token(course_id, "u1", "U")

    blob = open_player(client, f"/launch/{token}?item=quiz")[1]

    assert blob["launch_url"].endswith("/course/content/quiz/index.html?lang=en&mode=test#start")


@pytest.mark.parametrize("path", ["../../secret.txt", "..%2f..%2fsecret.txt", "missing.html"])
def test_learner_content_stays_in_its_folder(
    client: FlaskClient, blob: dict[str, Any], path: str
) -> None:
    scope = blob["launch_url"].split("/")[2]
    response = client.get(f"/learn/{scope}/{path}")
    assert response.status_code in (404, 308)


def test_a_bad_content_scope_is_403(client: FlaskClient) -> None:
    assert client.get("/learn/forged/a/index.html").status_code == 403


def test_a_forged_link_gets_a_clear_403_page(client: FlaskClient) -> None:
    response = client.get("/launch/forged")

    assert response.status_code == 403
    assert "This link is not valid" in response.text and "Traceback" not in response.text


def test_an_expired_link_gets_a_clear_403_page(
    client: FlaskClient, services: Services, course_id: str
) -> None:
    token = services.tokens.launch(course_id, "u1", "U", expires_in=-5)

    response = client.get(f"/launch/{token}")
    assert response.status_code == 403 and "expired" in response.text


# endregion
# region Commit and renew


@pytest.mark.parametrize("content_type", ["text/plain;charset=UTF-8", "application/json"])
def test_a_commit_is_accepted_from_fetch_and_sendbeacon(
    client: FlaskClient, blob: dict[str, Any], content_type: str
) -> None:
    response = post(client, "/runtime/commit", commit_body(blob), content_type)

    assert response.status_code == 200
    assert response.json["ack"] == 1
    assert response.json["status"]["attempt"] == "active"


def test_a_commit_needs_no_csrf_token_but_a_runtime_token(
    client: FlaskClient, blob: dict[str, Any]
) -> None:
    response = post(client, "/runtime/commit", commit_body(blob, token="forged"))

    assert response.status_code == 403 and response.json["error"] == "forbidden"


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        b"\xff\xfe",
        "[]",
        '"text"',
        {"attempt": 1, "seq": 1, "changes": []},
        {"token": "t", "attempt": True, "seq": 1, "changes": []},
        {"token": "t", "attempt": 1, "seq": "1", "changes": []},
        {"token": "t", "attempt": 1, "seq": 1, "changes": {}},
        {"token": "t", "attempt": 1, "seq": 1, "changes": [], "part": [1]},
        {"token": "t", "attempt": 1, "seq": 1, "changes": [], "final": "yes"},
    ],
)
def test_a_malformed_body_is_a_json_400(client: FlaskClient, body: Any) -> None:
    response = post(client, "/runtime/commit", body)

    assert response.status_code == 400
    assert response.json["error"] == "bad_request"


def test_an_expired_token_is_401(
    client: FlaskClient, blob: dict[str, Any], services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services.tokens, "clock", lambda: time.time() + 7200)

    response = post(client, "/runtime/commit", commit_body(blob))
    assert response.status_code == 401 and response.json["error"] == "expired"


def test_a_superseded_session_is_409(client: FlaskClient, link: str) -> None:
    old = open_player(client, link)[1]
    open_player(client, link)

    response = post(client, "/runtime/commit", commit_body(old))
    assert response.status_code == 409 and response.json["error"] == "superseded"


def test_a_gap_is_409_with_the_seq_expected(client: FlaskClient, blob: dict[str, Any]) -> None:
    response = post(client, "/runtime/commit", commit_body(blob, seq=3))

    assert response.status_code == 409
    assert response.json["error"] == "gap" and response.json["expected"] == 1


def test_an_invalid_value_is_422_naming_the_element(
    client: FlaskClient, blob: dict[str, Any]
) -> None:
    body = commit_body(blob, changes=[["cmi.location", "p1"], ["cmi.completion_status", "done"]])

    response = post(client, "/runtime/commit", body)
    assert response.status_code == 422
    assert response.json["error"] == "invalid"
    assert response.json["element"] == "cmi.completion_status" and response.json["code"] == "406"
    assert response.json["message"]


def test_a_part_of_a_split_commit_is_202_until_the_last(
    client: FlaskClient, blob: dict[str, Any]
) -> None:
    first = post(client, "/runtime/commit", commit_body(blob, part=[1, 2]))
    last = post(client, "/runtime/commit", commit_body(blob, part=[2, 2], changes=[]))

    assert first.status_code == 202 and first.json["ack"] is None
    assert first.json["pending"] == [1, 2] and first.json["missing"] == [2]
    assert last.status_code == 200 and last.json["ack"] == 1


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return DEFLATE_MARKER + packer.compress(data) + packer.flush()


@pytest.mark.parametrize("content_type", ["application/octet-stream", ""])
def test_a_deflated_commit_is_inflated_and_applied(
    client: FlaskClient, blob: dict[str, Any], services: Services, course_id: str,
    content_type: str,
) -> None:
    value = '{"slide":1,"score":80},' * 3000
    body = commit_body(blob, changes=[["cmi.suspend_data", value[:40000]],
                                      ["cmi.suspend_data", value[40000:], "+"]])

    response = post(client, "/runtime/commit", deflate(json.dumps(body).encode()), content_type)

    assert response.status_code == 200 and response.json["ack"] == 1
    [sco] = [s for s in services.tracking.results(course_id, "u1").scos if s.latest]
    assert sco.latest is not None and sco.latest.attempt.columns.suspend_data == value


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (DEFLATE_MARKER + b"\xff\xff\xff\xff", 400),  # not DEFLATE
        (deflate(b'{"token": "t"}')[:-3], 400),  # truncated
        (deflate(b"\xff\xfe"), 400),  # not text
        (deflate(b" " * (9 * 1024 * 1024)), 413),  # a bomb: 9 KiB that would be 9 MiB
    ],
    ids=["bad deflate", "truncated", "not text", "bomb"],
)
def test_a_damaged_or_oversized_deflated_body_stores_nothing(
    client: FlaskClient, blob: dict[str, Any], raw: bytes, status: int
) -> None:
    response = post(client, "/runtime/commit", raw, "application/octet-stream")

    assert response.status_code == status
    assert response.json["error"] == ("too_large" if status == 413 else "bad_request")
    gap = post(client, "/runtime/commit", commit_body(blob, seq=2))
    assert gap.status_code == 409 and gap.json["expected"] == 1  # the attempt took nothing


def test_a_body_over_the_limit_is_413(client: FlaskClient, blob: dict[str, Any]) -> None:
    body = commit_body(blob, changes=[["cmi.suspend_data", "x" * (9 * 1024 * 1024)]])

    response = post(client, "/runtime/commit", body)
    assert response.status_code == 413 and response.json["error"] == "too_large"


def test_an_unexpected_failure_is_a_json_500(
    client: FlaskClient, blob: dict[str, Any], services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services.tracking, "apply_commit", broken)

    response = post(client, "/runtime/commit", commit_body(blob))
    assert response.status_code == 500 and response.json["error"] == "server_error"
    assert "on fire" not in response.text


def test_renew_answers_a_new_token(client: FlaskClient, blob: dict[str, Any]) -> None:
    response = post(client, "/runtime/renew", {"token": blob["token"]}, "application/json")

    assert response.status_code == 200 and response.json["token_ttl"] == 1800
    renewed = post(client, "/runtime/commit", commit_body(blob, token=response.json["token"]))
    assert renewed.status_code == 200


def test_renew_with_a_bad_body_is_400(client: FlaskClient) -> None:
    assert post(client, "/runtime/renew", {"tok": 1}).status_code == 400


# endregion
# region Data model


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_the_data_model_definitions_are_served_and_cacheable(
    client: FlaskClient, version: str
) -> None:
    response = client.get(f"/runtime/datamodel/{version}.json")

    assert response.status_code == 200 and response.json["version"] == version
    assert "max-age" in response.headers["Cache-Control"]
    again = client.get(
        f"/runtime/datamodel/{version}.json", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_an_unknown_data_model_version_is_404(client: FlaskClient) -> None:
    assert client.get("/runtime/datamodel/1.3.json").status_code == 404


# endregion
