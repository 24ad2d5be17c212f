"""Course file paths stay inside their version's folder, whatever the request does.

Hostile paths through both routes (``/learn/<scope>/`` and ``/preview/<token>/``), planted
symlinks, the path resolver on its own, and raw request lines on a real socket (no client
in between to tidy the path up).
"""

from __future__ import annotations

import http.client
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from scorm_player.services import Services
from scorm_player.services.tokens import ContentScope, PreviewScope
from scorm_player.web.common import EXTENSION
from scorm_player.web.content import resolve
from tests.runtime_support import import_course

SINGLE = "scorm12-single-sco"
MULTI = "scorm12-multi-sco"
SECRET = b"root:x:0:0 -- outside every course"


@pytest.fixture
def services(app: Flask) -> Services:
    return app.extensions[EXTENSION]


@pytest.fixture
def courses(services: Services, package_zip: Any, data_dir: Path, tmp_path: Path) -> dict[str, Any]:
    """Course A (the one the tokens open), course B beside it, secrets around them."""
    a = import_course(services, package_zip, SINGLE)
    b = import_course(services, package_zip, MULTI)
    folder_a = services.courses.content_dir(a, 1)
    folder_b = services.courses.content_dir(b, 1)
    assert folder_a and folder_b
    (data_dir / "secret.txt").write_bytes(SECRET)
    (tmp_path / "outside.txt").write_bytes(SECRET)
    (folder_b / "b-only.txt").write_bytes(SECRET)
    (folder_a / "assets").mkdir()
    (folder_a / "assets" / "ok.txt").write_bytes(b"inside")
    return {"a": a, "b": b, "folder_a": folder_a, "folder_b": folder_b, "tmp": tmp_path}


@pytest.fixture(params=["learn", "preview"])
def base(request: pytest.FixtureRequest, services: Services, courses: dict[str, Any]) -> str:
    if request.param == "learn":
        return "/learn/" + services.tokens.content(ContentScope(courses["a"], 1, 1))
    return "/preview/" + services.tokens.preview(PreviewScope(courses["a"], 1))


def assert_refused(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    if response.status_code == 308:  # werkzeug merging slashes: follow it once
        response = client.get(response.headers["Location"])
    assert response.status_code == 404, url
    assert SECRET not in response.data


HOSTILE = [
    "../../secret.txt",
    "../../../../../../etc/passwd",
    "assets/../../../secret.txt",
    "..%2f..%2fsecret.txt",
    "..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "%2e%2e/%2e%2e/secret.txt",
    "%2E%2E%2F%2E%2E%2Fsecret.txt",
    "%252e%252e/%252e%252e/secret.txt",  # double-encoded: stays the literal name "%2e%2e"
    "%252e%252e%252f%252e%252e%252fsecret.txt",
    "..%5c..%5csecret.txt",  # backslashes
    "assets%5c..%5c..%5c..%5csecret.txt",
    "..\\..\\secret.txt",
    "assets/ok.txt%00.html",  # NUL
    "assets%00/ok.txt",
    "assets/ok.txt%0a",
    "%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt",  # overlong UTF-8 dots
    "%EF%BC%8E%EF%BC%8E/%EF%BC%8E%EF%BC%8E/secret.txt",  # full-width dots (NFKC: "..")
    "%E2%80%A4%E2%80%A4/secret.txt",  # one-dot leaders
    "/etc/passwd",
    "%2fetc%2fpasswd",
    "//etc/passwd",
    "./assets/ok.txt",
    "assets/./ok.txt",
    "assets//ok.txt",
    "assets/",  # a folder: no listing
    "assets",
    ".",
    "..",
    "missing.html",
]


@pytest.mark.parametrize("path", HOSTILE)
def test_hostile_paths_are_404(client: FlaskClient, base: str, path: str) -> None:
    assert_refused(client, f"{base}/{path}")


def test_the_legitimate_file_is_served(client: FlaskClient, base: str) -> None:
    response = client.get(f"{base}/assets/ok.txt")
    assert response.status_code == 200 and response.data == b"inside"


def test_a_scope_never_reaches_another_course(
    client: FlaskClient, base: str, courses: dict[str, Any]
) -> None:
    b = courses["b"]
    for path in (f"../../{b}/v1/b-only.txt", f"..%2f..%2f{b}%2fv1%2fb-only.txt",
                 "../v2/imsmanifest.xml", "b-only.txt"):
        assert_refused(client, f"{base}/{path}")


# region Symlinks planted in the folder


@pytest.mark.parametrize(
    "target",
    ["data_dir_secret", "outside_file", "other_course_file", "outside_folder", "root"],
)
def test_symlinks_out_of_the_folder_are_404(
    client: FlaskClient, base: str, courses: dict[str, Any], data_dir: Path, target: str
) -> None:
    targets = {
        "data_dir_secret": data_dir / "secret.txt",
        "outside_file": courses["tmp"] / "outside.txt",
        "other_course_file": courses["folder_b"] / "b-only.txt",
        "outside_folder": courses["tmp"],
        "root": Path("/"),
    }
    link = courses["folder_a"] / "assets" / "link"
    link.symlink_to(targets[target])

    for path in ("assets/link", "assets/link/outside.txt", "assets/link/etc/passwd"):
        assert_refused(client, f"{base}/{path}")


def test_a_symlinked_folder_leading_out_is_404(
    client: FlaskClient, base: str, courses: dict[str, Any]
) -> None:
    (courses["folder_a"] / "escape").symlink_to(courses["folder_b"], target_is_directory=True)
    assert_refused(client, f"{base}/escape/b-only.txt")


def test_a_symlink_loop_is_404(client: FlaskClient, base: str, courses: dict[str, Any]) -> None:
    loop = courses["folder_a"] / "loop"
    loop.symlink_to(loop)
    assert_refused(client, f"{base}/loop")


def test_a_symlink_that_stays_inside_is_followed(
    client: FlaskClient, base: str, courses: dict[str, Any]
) -> None:
    (courses["folder_a"] / "alias.txt").symlink_to(courses["folder_a"] / "assets" / "ok.txt")
    assert client.get(f"{base}/alias.txt").data == b"inside"


# endregion
# region The resolver on its own


@pytest.mark.parametrize(
    "path",
    ["", "/", "/etc/passwd", "../x", "a/../../x", "a\\..\\x", "a\x00b", "a\x01b", "a\x7fb",
     "a/", "a//b", "./a", "x" * 256, "a/" * 600 + "b"],
)
def test_resolve_refuses(tmp_path: Path, path: str) -> None:
    (tmp_path / "a").mkdir()
    assert resolve(tmp_path, path) is None


def test_resolve_finds_regular_files_only(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.txt").write_text("b")
    os.mkfifo(tmp_path / "pipe")

    assert resolve(tmp_path, "a/b.txt") == (tmp_path / "a" / "b.txt").resolve()
    assert resolve(tmp_path, "a") is None
    assert resolve(tmp_path, "pipe") is None


def test_resolve_works_when_the_data_dir_itself_is_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "v1").mkdir(parents=True)
    (real / "v1" / "f.txt").write_text("f")
    (tmp_path / "alias").symlink_to(real, target_is_directory=True)

    assert resolve(tmp_path / "alias" / "v1", "f.txt") == real / "v1" / "f.txt"


# endregion
# region Raw request lines on a real server


@pytest.fixture
def live(app: Flask) -> Iterator[int]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()


@pytest.mark.parametrize(
    "path",
    ["../../secret.txt", "%2e%2e/%2e%2e/secret.txt", "..%2f..%2fsecret.txt",
     "%252e%252e%252f%252e%252e%252fsecret.txt", "..%5c..%5csecret.txt",
     "assets/ok.txt%00", "%c0%ae%c0%ae/secret.txt"],
)
def test_raw_request_lines(live: int, base: str, path: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", live, timeout=10)
    try:
        connection.putrequest("GET", f"{base}/{path}", skip_host=True)
        connection.putheader("Host", f"127.0.0.1:{live}")
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()

    assert response.status in (400, 404), path
    assert SECRET not in body


# endregion
