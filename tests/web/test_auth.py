"""Designer pages need a signed-in designer; every POST needs the session's CSRF token."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import AuthActions, csrf_token, form_token

DESIGNER_PAGES = [
    "/courses",
    "/courses/upload",
    "/courses/some-course",
    "/courses/some-course/upload",
    "/courses/some-course/preview/item-1",
]


@pytest.mark.parametrize("path", DESIGNER_PAGES)
def test_anonymous_users_are_sent_to_sign_in(client: FlaskClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


@pytest.mark.parametrize(
    "path", ["/courses/upload", "/courses/some-course/upload", "/courses/some-course/delete"]
)
def test_anonymous_posts_are_sent_to_sign_in(client: FlaskClient, path: str) -> None:
    response = client.post(path, data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_home_leads_to_the_library(client: FlaskClient) -> None:
    assert client.get("/").headers["Location"] == "/courses"


def test_the_login_page_renders(client: FlaskClient) -> None:
    page = client.get("/auth/login")
    assert page.status_code == 200
    assert "Sign in" in page.text
    assert 'name="csrf_token"' in page.text
    assert "/static/css/app.css" in page.text


def test_sign_in_and_out(client: FlaskClient, auth: AuthActions) -> None:
    response = auth.login()
    assert response.status_code == 302 and response.headers["Location"] == "/courses"
    assert client.get("/courses").status_code == 200

    assert auth.logout().headers["Location"] == "/auth/login"
    assert client.get("/courses").status_code == 302


def test_a_wrong_password_is_refused(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    auth.logout()
    page = client.get("/auth/login")

    response = client.post(
        "/auth/login",
        data={"username": "designer", "password": "wrong", "csrf_token": form_token(page.text)},
    )

    assert response.status_code == 401
    assert "do not match" in response.text
    assert client.get("/courses").status_code == 302


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/courses/upload", "/courses/upload"),
        ("//evil.example/", "/courses"),
        ("https://evil.example/", "/courses"),
        ("/\\evil.example", "/courses"),
    ],
)
def test_sign_in_returns_only_to_this_site(
    client: FlaskClient, auth: AuthActions, next_url: str, expected: str
) -> None:
    auth.login()
    auth.logout()
    page = client.get("/auth/login")
    response = client.post(
        "/auth/login",
        data={
            "username": "designer",
            "password": "correct horse",
            "next": next_url,
            "csrf_token": form_token(page.text),
        },
    )
    assert response.headers["Location"] == expected


def test_sign_in_needs_the_csrf_token(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    auth.logout()
    client.get("/auth/login")

    missing = client.post("/auth/login", data={"username": "designer", "password": "correct horse"})
    wrong = client.post(
        "/auth/login",
        data={"username": "designer", "password": "correct horse", "csrf_token": "forged"},
    )

    assert missing.status_code == 400 and wrong.status_code == 400
    assert "did not come from this site" in missing.text
    assert client.get("/courses").status_code == 302


def test_designer_posts_need_the_csrf_token(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()

    assert client.post("/auth/logout").status_code == 400
    assert client.post("/courses/upload", data={}).status_code == 400
    header = client.post("/courses/upload", headers={"X-CSRF-Token": csrf_token(client)})
    assert header.status_code == 400 and "Choose a SCORM package" in header.text
    assert client.get("/courses").status_code == 200  # still signed in


def test_pages_cannot_be_framed_by_other_sites(client: FlaskClient) -> None:
    page = client.get("/auth/login")
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
