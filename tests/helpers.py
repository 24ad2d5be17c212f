"""Small helpers for storage, service, CLI and web tests."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient


def csrf_token(client: FlaskClient) -> str:
    """The session's CSRF token, as a page would have put it in its forms."""
    from scorm_player.web.auth import CSRF_SESSION_KEY

    with client.session_transaction() as session:
        token = session.setdefault(CSRF_SESSION_KEY, uuid.uuid4().hex)
    return token


def form_token(html: str) -> str:
    """The CSRF token embedded in a rendered form."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def files_under(folder: Path) -> list[Path]:
    """Every regular file below ``folder`` (empty folders are not leftovers)."""
    if not folder.exists():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file())


class AuthActions:
    """Sign a designer in and out through the real login form."""

    def __init__(self, client: FlaskClient, app: Flask) -> None:
        self._client = client
        self._app = app

    def login(self, username: str = "designer", password: str = "correct horse") -> Any:
        from scorm_player.web.common import EXTENSION

        users = self._app.extensions[EXTENSION].users
        if users.authenticate(username, password) is None:
            users.create(username, password)
        page = self._client.get("/auth/login")
        return self._client.post(
            "/auth/login",
            data={"username": username, "password": password, "csrf_token": form_token(page.text)},
        )

    def logout(self) -> Any:
        return self._client.post("/auth/logout", data={"csrf_token": csrf_token(self._client)})


class CliRun:
    """Invoke ``scorm-player`` in-process with this test's environment."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self._runner = CliRunner()

    def __call__(self, *args: str | os.PathLike[str], input: str | None = None) -> Result:
        from scorm_player.cli import main

        return self._runner.invoke(main, [str(a) for a in args], env=self.env, input=input)

    def ok(self, *args: str | os.PathLike[str]) -> Result:
        result = self(*args)
        assert result.exit_code == 0, result.output
        return result
