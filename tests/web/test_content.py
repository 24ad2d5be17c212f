"""Extracted files are served from their version's folder and from nowhere else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.helpers import AuthActions, csrf_token

SINGLE = "scorm12-single-sco"


@pytest.fixture
def course(client: FlaskClient, auth: AuthActions, package_zip: Any, data_dir: Path) -> str:
    auth.login()
    data = {"package": (package_zip(SINGLE).open("rb"), "c.zip"), "csrf_token": csrf_token(client)}
    response = client.post("/courses/upload", data=data, content_type="multipart/form-data")
    course_id = response.headers["Location"].split("/")[2].split("?")[0]
    folder = data_dir / course_id / "v1"
    (folder / "assets").mkdir(exist_ok=True)
    for name in ("app.js", "style.css", "data.json", "icon.svg", "font.woff2", "clip.mp4"):
        (folder / "assets" / name).write_bytes(b"x")
    (data_dir / "secret.txt").write_text("root:x:0:0 -- outside any course")
    return course_id


def test_the_manifest_is_served(client: FlaskClient, course: str) -> None:
    response = client.get(f"/content/{course}/v1/imsmanifest.xml")
    assert response.status_code == 200
    assert response.mimetype in ("application/xml", "text/xml")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


@pytest.mark.parametrize(
    ("name", "mimetype"),
    [
        ("app.js", "text/javascript"),
        ("style.css", "text/css"),
        ("data.json", "application/json"),
        ("icon.svg", "image/svg+xml"),
        ("font.woff2", "font/woff2"),
        ("clip.mp4", "video/mp4"),
    ],
)
def test_content_types(client: FlaskClient, course: str, name: str, mimetype: str) -> None:
    response = client.get(f"/content/{course}/v1/assets/{name}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    response.close()


@pytest.mark.parametrize(
    "path",
    [
        "..%2f..%2fetc/passwd",
        "..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "../../etc/passwd",
        "%2e%2e/%2e%2e/secret.txt",
        "..%2f..%2fsecret.txt",
        "..%5c..%5csecret.txt",
        "%2fetc%2fpasswd",
        "/etc/passwd",
        "assets/../../../secret.txt",
        "assets/",
        "assets",
        "",
        "missing.html",
    ],
)
def test_nothing_outside_the_version_folder_is_served(
    client: FlaskClient, course: str, path: str
) -> None:
    response = client.get(f"/content/{course}/v1/{path}")

    assert response.status_code in (404, 308)
    assert b"root:" not in response.data
    if response.status_code == 308:  # werkzeug normalising a URL: follow it once
        location = response.headers["Location"]
        followed = client.get(location)
        assert followed.status_code == 404 and b"root:" not in followed.data


def test_other_versions_and_courses_are_404(client: FlaskClient, course: str) -> None:
    assert client.get(f"/content/{course}/v2/imsmanifest.xml").status_code == 404
    assert client.get("/content/no-such-course/v1/imsmanifest.xml").status_code == 404
    assert client.get(f"/content/{course}/vx/imsmanifest.xml").status_code == 404
