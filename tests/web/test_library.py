"""The course library: upload with its report, list, course detail, preview, delete."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from scorm_player.packaging import inspect_package
from scorm_player.web import create_app
from scorm_player.web.common import EXTENSION
from tests.helpers import AuthActions, csrf_token, files_under

SINGLE = "scorm12-single-sco"
MULTI = "scorm12-multi-sco"
SEQUENCED = "scorm2004-3rd-sequencing"
FULL = "scorm2004-4th-full"
BAD = "bad-missing-launch-file"


def upload(client: FlaskClient, zip_path: Path, url: str = "/courses/upload", **kw: Any) -> Any:
    data = {"package": (zip_path.open("rb"), zip_path.name), "csrf_token": csrf_token(client)}
    return client.post(url, data=data, content_type="multipart/form-data", **kw)


def imported_course_id(response: Any) -> str:
    location = response.headers["Location"]
    assert location.startswith("/courses/") and "imported=1" in location
    return location.split("/")[2].split("?")[0]


@pytest.fixture
def signed_in(client: FlaskClient, auth: AuthActions) -> FlaskClient:
    auth.login()
    return client


def test_upload_shows_the_course_and_its_report(signed_in: FlaskClient, package_zip: Any) -> None:
    zip_path = package_zip(MULTI)
    package = inspect_package(zip_path).package

    response = upload(signed_in, zip_path)

    assert response.status_code == 302
    page = signed_in.get(response.headers["Location"])
    assert page.status_code == 200
    assert package.title in page.text
    assert "Imported version 1" in page.text
    assert "Import report" in page.text
    assert zip_path.name in page.text


def test_upload_with_javascript_answers_json(signed_in: FlaskClient, package_zip: Any) -> None:
    response = upload(signed_in, package_zip(SINGLE), headers={"Accept": "application/json"})

    assert response.status_code == 200
    data = response.get_json()
    assert data["ok"] is True and data["version"] == 1
    assert data["redirect"].startswith(f"/courses/{data['course_id']}?")


def test_a_bad_package_shows_errors_with_code_and_line(
    signed_in: FlaskClient, package_zip: Any, data_dir: Path
) -> None:
    response = upload(signed_in, package_zip(BAD))

    assert response.status_code == 422
    assert "The package was not imported" in response.text
    assert "launch_file_missing" in response.text
    assert "imsmanifest.xml:" in response.text  # file:line
    assert files_under(data_dir / ".staging") == []
    assert "No courses yet" in signed_in.get("/courses").text


def test_a_bad_package_with_javascript_gets_the_report_as_html(
    signed_in: FlaskClient, package_zip: Any
) -> None:
    response = upload(signed_in, package_zip(BAD), headers={"Accept": "application/json"})

    assert response.status_code == 422
    data = response.get_json()
    assert data["ok"] is False
    assert any(e["code"] == "launch_file_missing" for e in data["report"]["errors"])
    assert "launch_file_missing" in data["html"] and 'id="import-report"' in data["html"]


def test_an_upload_without_a_file(signed_in: FlaskClient) -> None:
    response = signed_in.post("/courses/upload", data={"csrf_token": csrf_token(signed_in)})
    assert response.status_code == 400
    assert "Choose a SCORM package" in response.text


def test_an_upload_that_is_too_large_gets_a_friendly_page(
    settings_env: dict[str, str], package_zip: Any
) -> None:
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "SCORM_PLAYER_MAX_UPLOAD_BYTES": "1K", **settings_env}
    )
    try:
        client = app.test_client()
        AuthActions(client, app).login()
        response = upload(client, package_zip(MULTI))
        assert response.status_code == 413
        assert "That file is too large" in response.text
        assert "1 KB" in response.text
        data = upload(client, package_zip(MULTI), headers={"Accept": "application/json"})
        assert data.status_code == 413 and data.get_json()["ok"] is False
    finally:
        app.extensions[EXTENSION].close()


def test_the_library_lists_courses(signed_in: FlaskClient, package_zip: Any) -> None:
    assert "No courses yet" in signed_in.get("/courses").text
    zip_path = package_zip(SINGLE)
    course_id = imported_course_id(upload(signed_in, zip_path))
    upload(signed_in, package_zip(SINGLE), f"/courses/{course_id}/upload")

    page = signed_in.get("/courses").text

    package = inspect_package(zip_path).package
    assert package.title in page
    assert f"/courses/{course_id}" in page
    assert "v2" in page
    assert "SCORM 1.2" in page
    assert " UTC" in page  # the import date


def test_a_new_version_from_the_course_page(
    signed_in: FlaskClient, package_zip: Any, data_dir: Path
) -> None:
    course_id = imported_course_id(upload(signed_in, package_zip(SINGLE)))
    form = signed_in.get(f"/courses/{course_id}/upload")
    assert form.status_code == 200 and "version 2" in form.text

    response = upload(signed_in, package_zip(MULTI), f"/courses/{course_id}/upload")

    assert imported_course_id(response) == course_id
    assert "version=2" in response.headers["Location"]
    assert (data_dir / course_id / "v2").is_dir()
    detail = signed_in.get(f"/courses/{course_id}?version=1")
    assert "You are looking at version 1" in detail.text


@pytest.mark.parametrize("fixture", [MULTI, SEQUENCED, FULL])
def test_the_detail_page_shows_the_item_tree(
    signed_in: FlaskClient, package_zip: Any, fixture: str
) -> None:
    zip_path = package_zip(fixture)
    package = inspect_package(zip_path).package
    course_id = imported_course_id(upload(signed_in, zip_path))

    page = signed_in.get(f"/courses/{course_id}").text

    assert package.version_label in page
    organization = package.organization
    assert organization is not None
    for item in organization.walk():
        assert _escaped(item.title) in page
        if item.launch_url:
            assert _escaped(item.launch_url) in page
            assert f"/courses/{course_id}/preview/{item.identifier}?version=1" in page
    if any(not item.is_visible for item in organization.walk()):
        assert ">Hidden<" in page
    assert ">SCO<" in page


def test_unknown_courses_and_versions_are_friendly_404s(
    signed_in: FlaskClient, package_zip: Any
) -> None:
    course_id = imported_course_id(upload(signed_in, package_zip(SINGLE)))

    missing = signed_in.get("/courses/no-such-course")
    assert missing.status_code == 404 and "We could not find that page" in missing.text
    assert signed_in.get(f"/courses/{course_id}?version=9").status_code == 404
    assert signed_in.get(f"/courses/{course_id}/preview/no-such-item").status_code == 404


def test_preview_frames_the_launch_file(signed_in: FlaskClient, package_zip: Any) -> None:
    zip_path = package_zip(MULTI)
    organization = inspect_package(zip_path).package.organization
    assert organization is not None
    item = organization.launchable_items()[0]
    course_id = imported_course_id(upload(signed_in, zip_path))

    page = signed_in.get(f"/courses/{course_id}/preview/{item.identifier}")

    assert page.status_code == 200
    # On the content origin, under a preview token: the session cookie does not go there.
    src = re.search(r'<iframe class="preview__frame" src="([^"]+)"', page.text)
    assert src and src.group(1).startswith("http://127.0.0.1/preview/")
    assert src.group(1).endswith(f"/{_escaped(item.launch_url or '')}")
    served = signed_in.get(html.unescape(src.group(1)))
    assert served.status_code == 200 and served.mimetype == "text/html"


def test_delete_from_the_course_page(
    signed_in: FlaskClient, package_zip: Any, data_dir: Path
) -> None:
    course_id = imported_course_id(upload(signed_in, package_zip(SINGLE)))

    response = signed_in.post(
        f"/courses/{course_id}/delete", data={"csrf_token": csrf_token(signed_in)}
    )

    assert response.headers["Location"] == "/courses"
    assert "Deleted" in signed_in.get("/courses").text
    assert not (data_dir / course_id).exists()
    missing = signed_in.post(
        f"/courses/{course_id}/delete", data={"csrf_token": csrf_token(signed_in)}
    )
    assert missing.status_code == 404


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_app_uses_the_packaged_assets(app: Flask) -> None:
    from scorm_player import resources

    assert Path(app.template_folder or "") == resources.templates_dir()
    assert Path(app.static_folder or "") == resources.static_dir()
    assert (resources.static_dir() / "js" / "upload.js").is_file()


def test_static_files_are_served(client: FlaskClient) -> None:
    css = client.get("/static/css/app.css")
    js = client.get("/static/js/upload.js")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert js.status_code == 200 and "XMLHttpRequest" in js.text
    css.close()
    js.close()


def test_unused_stream_is_rejected_cleanly(signed_in: FlaskClient) -> None:
    data = {"package": (io.BytesIO(b"PK not really"), "x.zip"), "csrf_token": csrf_token(signed_in)}
    response = signed_in.post("/courses/upload", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "zip_unreadable" in response.text
