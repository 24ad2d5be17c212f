"""Two origins in one process: which host serves what, the session, and the headers.

Locally (no SCORM_PLAYER_APP_URL/CONTENT_URL) the app origin is ``localhost`` and the
content origin ``127.0.0.1``; every request here names its host explicitly.
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, jsonify, session
from flask.testing import FlaskClient
from flask_login import current_user

from scorm_player.services import Services
from scorm_player.services.tokens import PREVIEW_TTL, ContentScope
from scorm_player.web.common import EXTENSION
from tests.helpers import AuthActions, csrf_token
from tests.origins import APP_BASE, CONTENT_BASE
from tests.runtime_support import import_course

SINGLE = "scorm12-single-sco"


@pytest.fixture
def services(app: Flask) -> Services:
    return app.extensions[EXTENSION]


@pytest.fixture
def course_id(services: Services, package_zip: Any) -> str:
    return import_course(services, package_zip, SINGLE)


@pytest.fixture
def launch_path(services: Services, course_id: str) -> str:
    return "/launch/" + services.launches.make_link_token(course_id, "u1", "Doe, Jane")


@pytest.fixture
def learn_path(services: Services, course_id: str) -> str:
    return f"/learn/{services.tokens.content(ContentScope(course_id, 1, 1))}/imsmanifest.xml"


def on(client: FlaskClient, base: str, path: str, method: str = "GET", **kwargs: Any) -> Any:
    return client.open(path, base_url=base, method=method, **kwargs)


# region Which origin serves what

MANAGEMENT = ["/", "/auth/login", "/courses", "/courses/upload", "/courses/x",
              "/courses/x/preview/i"]


@pytest.mark.parametrize("path", MANAGEMENT)
def test_management_pages_are_404_on_the_content_origin(client: FlaskClient, path: str) -> None:
    assert on(client, CONTENT_BASE, path).status_code == 404
    assert on(client, APP_BASE, path).status_code in (200, 302)


def test_posts_to_management_pages_are_404_on_the_content_origin(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    token = csrf_token(client)
    for path in ("/courses/upload", "/courses/x/delete", "/auth/logout", "/auth/login"):
        response = on(client, CONTENT_BASE, path, "POST", data={"csrf_token": token})
        assert response.status_code == 404, path


def test_player_runtime_and_files_are_404_on_the_app_origin(
    client: FlaskClient, launch_path: str, learn_path: str
) -> None:
    for path in (launch_path, learn_path, "/runtime/datamodel/2004.json"):
        assert on(client, CONTENT_BASE, path).status_code == 200, path
        assert on(client, APP_BASE, path).status_code == 404, path
    for path in ("/runtime/commit", "/runtime/renew"):
        assert on(client, APP_BASE, path, "POST", data="{}").status_code == 404
        assert on(client, CONTENT_BASE, path, "POST", data="{}").status_code == 400


def test_a_wrong_method_on_the_wrong_origin_is_still_404(client: FlaskClient) -> None:
    assert on(client, CONTENT_BASE, "/courses", "POST").status_code == 404
    assert on(client, APP_BASE, "/runtime/commit", "GET").status_code == 404
    assert on(client, CONTENT_BASE, "/runtime/commit", "GET").status_code == 405


def test_static_files_are_on_both_origins(client: FlaskClient) -> None:
    for base in (APP_BASE, CONTENT_BASE):
        response = on(client, base, "/static/js/scorm-api.js")
        assert response.status_code == 200
        response.close()


@pytest.mark.parametrize("host", ["evil.example", "localhost.evil.example", "[::1]", "10.0.0.1"])
def test_other_host_names_are_404(client: FlaskClient, host: str) -> None:
    response = on(client, f"http://{host}", "/courses")

    assert response.status_code == 404
    assert "localhost" in response.text and "SCORM_PLAYER_APP_URL" in response.text


def test_configured_origins(settings_env: dict[str, str]) -> None:
    from scorm_player.web import create_app

    app = create_app({
        "TESTING": True, "SECRET_KEY": "k", **settings_env,
        "SCORM_PLAYER_APP_URL": "https://lms.example.com",
        "SCORM_PLAYER_CONTENT_URL": "https://content.example.com:8443",
    })
    client = app.test_client()
    try:
        assert on(client, "https://lms.example.com", "/auth/login").status_code == 200
        assert on(client, "https://lms.example.com:443", "/auth/login").status_code == 200
        assert on(client, "https://content.example.com:8443", "/auth/login").status_code == 404
        assert on(client, "https://content.example.com:8443",
                  "/runtime/datamodel/1.2.json").status_code == 200
        assert on(client, "https://content.example.com:9999",
                  "/runtime/datamodel/1.2.json").status_code == 404
        for local in (APP_BASE, CONTENT_BASE):  # the local pair is off once URLs are set
            assert on(client, local, "/auth/login").status_code == 404
        page = on(client, "https://lms.example.com", "/auth/login")
        csp = page.headers["Content-Security-Policy"]
        assert "frame-src https://content.example.com:8443" in csp
    finally:
        app.extensions[EXTENSION].close()


# endregion
# region The session: app origin only


def test_the_session_cookie_is_host_only_httponly_and_lax(
    client: FlaskClient, auth: AuthActions
) -> None:
    response = auth.login()

    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie and "Secure" not in cookie  # plain http locally
    assert client.get_cookie("session", domain="localhost") is not None
    assert client.get_cookie("session", domain="127.0.0.1") is None


def test_on_https_the_cookie_is_secure_and_host_prefixed(settings_env: dict[str, str]) -> None:
    from scorm_player.web import create_app

    app = create_app({
        "TESTING": True, "SECRET_KEY": "k", **settings_env,
        "SCORM_PLAYER_APP_URL": "https://lms.example.com",
        "SCORM_PLAYER_CONTENT_URL": "https://content.example.com",
    })
    try:
        client = app.test_client()
        login_page = on(client, "https://lms.example.com", "/auth/login")
        assert login_page.status_code == 200
        app.extensions[EXTENSION].users.create("designer", "correct horse")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login_page.text)
        assert token
        response = on(client, "https://lms.example.com", "/auth/login", "POST", data={
            "username": "designer", "password": "correct horse", "csrf_token": token.group(1)})
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("__Host-session=") and "Secure" in cookie
        assert "Domain" not in cookie and "Path=/" in cookie
    finally:
        app.extensions[EXTENSION].close()


@pytest.fixture
def whoami(app: Flask) -> None:
    """A content-origin view (endpoint ``runtime.*``) that says who the session says it is."""

    def view() -> Any:
        return jsonify(user=current_user.is_authenticated, keys=sorted(session.keys()))

    app.add_url_rule("/runtime/whoami", "runtime.whoami", view)


@pytest.mark.usefixtures("whoami")
def test_the_content_origin_ignores_a_session_cookie(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    stolen = client.get_cookie("session", domain="localhost")
    assert stolen is not None
    # Even if the cookie got there (a proxy, a planted cookie), the content origin has no session.
    client.set_cookie("session", stolen.value, domain="127.0.0.1")

    answer = on(client, CONTENT_BASE, "/runtime/whoami").get_json()

    assert answer == {"user": False, "keys": []}
    assert on(client, APP_BASE, "/courses").status_code == 200  # still signed in there


def test_writing_to_the_content_origin_session_is_an_error(app: Flask) -> None:
    with app.test_request_context("/runtime/x", base_url=CONTENT_BASE):
        from flask import session as content_session

        with pytest.raises(RuntimeError, match="no session"):
            content_session["x"] = 1


# endregion
# region Cross-site requests, service workers


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_other_sites_cannot_post_or_fetch_management_pages(
    client: FlaskClient, auth: AuthActions, site: str
) -> None:
    auth.login()
    token = csrf_token(client)
    fetched = on(client, APP_BASE, "/courses",
                 headers={"Sec-Fetch-Site": site, "Sec-Fetch-Mode": "cors"})
    posted = on(client, APP_BASE, "/courses/upload", "POST", data={"csrf_token": token},
                headers={"Sec-Fetch-Site": site, "Sec-Fetch-Mode": "navigate"})

    assert fetched.status_code == 403 and "You cannot open this page" in fetched.text
    assert posted.status_code == 403


def test_navigations_from_other_sites_still_open_pages(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    headers = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
    assert on(client, APP_BASE, "/courses", headers=headers).status_code == 200
    top = {**headers, "Sec-Fetch-Dest": "document"}
    assert on(client, APP_BASE, "/courses", headers=top).status_code == 200
    framed = {**headers, "Sec-Fetch-Dest": "iframe"}  # CSP forbids it; the server too
    assert on(client, APP_BASE, "/courses", headers=framed).status_code == 403
    same = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors"}
    assert on(client, APP_BASE, "/courses", headers=same).status_code == 200


def test_course_content_cannot_install_a_service_worker(
    client: FlaskClient, learn_path: str
) -> None:
    response = on(client, CONTENT_BASE, learn_path, headers={"Service-Worker": "script"})
    assert response.status_code == 403


# endregion
# region Headers


def test_management_pages_have_a_strict_csp(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    for path in ("/auth/login", "/courses", "/courses/upload", "/courses/missing"):
        headers = on(client, APP_BASE, path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "frame-src http://127.0.0.1" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_by_default_nobody_frames_the_player(client: FlaskClient, launch_path: str) -> None:
    headers = on(client, CONTENT_BASE, launch_path).headers

    assert headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_configured_lms_hosts_may_frame_the_player_and_its_content(
    settings_env: dict[str, str], package_zip: Any
) -> None:
    from scorm_player.web import create_app

    lms = "https://lms.example.org https://*.school.example"
    app = create_app({"TESTING": True, "SECRET_KEY": "k", **settings_env,
                      "SCORM_PLAYER_FRAME_ANCESTORS": lms})
    services = app.extensions[EXTENSION]
    try:
        course_id = import_course(services, package_zip, SINGLE)
        client = app.test_client()
        player = on(client, CONTENT_BASE,
                    "/launch/" + services.launches.make_link_token(course_id, "u1", "U"))
        scope = services.tokens.content(ContentScope(course_id, 1, 1))
        sco = on(client, CONTENT_BASE, f"/learn/{scope}/imsmanifest.xml")

        assert player.headers["Content-Security-Policy"] == f"frame-ancestors {lms}"
        assert "X-Frame-Options" not in player.headers  # it would forbid the LMS
        # frame-ancestors checks every ancestor: the SCO is framed by the player, in the LMS.
        assert sco.headers["Content-Security-Policy"] == f"frame-ancestors 'self' {lms}"
        assert "X-Frame-Options" not in sco.headers
    finally:
        services.close()


def test_course_files_are_framed_by_the_content_origin_only(
    client: FlaskClient, learn_path: str
) -> None:
    headers = on(client, CONTENT_BASE, learn_path).headers

    assert headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_every_response_says_nosniff(
    client: FlaskClient, launch_path: str, learn_path: str
) -> None:
    for base, path in [(APP_BASE, "/auth/login"), (APP_BASE, "/static/css/app.css"),
                       (APP_BASE, "/nowhere"), (CONTENT_BASE, launch_path),
                       (CONTENT_BASE, learn_path), (CONTENT_BASE, "/nowhere"),
                       (CONTENT_BASE, "/runtime/datamodel/1.2.json"), ("http://evil", "/")]:
        response = on(client, base, path)
        assert response.headers["X-Content-Type-Options"] == "nosniff", (base, path)
        response.close()


def test_content_origin_errors_are_bare_pages(client: FlaskClient) -> None:
    page = on(client, CONTENT_BASE, "/learn/forged/index.html")

    assert page.status_code == 403
    assert "player.css" in page.text and "Sign out" not in page.text and "/courses" not in page.text


# endregion
# region Templates: nothing inline for the CSP to block


class _InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names and ("type", "application/json") not in attrs:
            self.found.append(f"inline <script> at {self.getpos()}")
        if "style" in names or any(name.startswith("on") for name in names):
            self.found.append(f"inline style/handler on <{tag}> at {self.getpos()}")
        if tag == "style":
            self.found.append(f"<style> at {self.getpos()}")
        for name, value in attrs:
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in {name} at {self.getpos()}")


def inline_code(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.found


def test_management_pages_have_no_inline_code(
    client: FlaskClient, auth: AuthActions, course_id: str, services: Services
) -> None:
    auth.login()
    item = services.courses.get(course_id).latest.package().organization.launchable_items()[0]
    pages = ["/courses", "/courses/upload", f"/courses/{course_id}",
             f"/courses/{course_id}/upload", f"/courses/{course_id}/preview/{item.identifier}",
             "/courses/missing"]
    for path in pages:
        response = on(client, APP_BASE, path)
        assert response.status_code in (200, 404)
        assert inline_code(response.text) == [], path
    auth.logout()
    assert inline_code(on(client, APP_BASE, "/auth/login").text) == []


def test_every_management_template_is_free_of_inline_code() -> None:
    root = Path(__file__).resolve().parents[2] / "templates"
    templates = [root / "base.html", *[p for folder in ("auth", "library", "errors")
                                       for p in (root / folder).rglob("*.html")]]
    for template in sorted(templates):
        text = re.sub(r"{[{%#].*?[}%#]}", "", template.read_text(), flags=re.S)
        assert inline_code(text) == [], template.name


# endregion
# region Preview


def test_the_preview_frames_the_content_origin_with_a_token(
    client: FlaskClient, auth: AuthActions, course_id: str, services: Services
) -> None:
    auth.login()
    item = services.courses.get(course_id).latest.package().organization.launchable_items()[0]

    page = on(client, APP_BASE, f"/courses/{course_id}/preview/{item.identifier}").text

    frame = re.search(r"<iframe[^>]*>", page)
    assert frame
    src = re.search(r'src="([^"]+)"', frame.group(0))
    assert src and src.group(1).startswith(f"{CONTENT_BASE}/preview/")
    assert 'sandbox="' in frame.group(0) and "allow-top-navigation" not in frame.group(0)
    file = client.get(src.group(1))  # no cookie goes there, and none is needed
    assert file.status_code == 200 and file.mimetype == "text/html"
    assert "frame-ancestors 'self' http://localhost" == file.headers["Content-Security-Policy"]
    services.tokens.clock = lambda: time.time() + PREVIEW_TTL + 1
    expired = client.get(src.group(1))
    assert expired.status_code == 403 and "Reload the preview page" in expired.text


def test_the_preview_token_does_not_open_learner_files(
    client: FlaskClient, services: Services, course_id: str
) -> None:
    from scorm_player.services.tokens import PreviewScope

    preview = services.tokens.preview(PreviewScope(course_id, 1))
    learner = services.tokens.content(ContentScope(course_id, 1, 1))

    assert on(client, CONTENT_BASE, f"/learn/{preview}/imsmanifest.xml").status_code == 403
    assert on(client, CONTENT_BASE, f"/preview/{learner}/imsmanifest.xml").status_code == 403


# endregion
