"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.helpers import AuthActions, CliRun
from tests.zipping import fixture_zip

TEST_DATABASE_ENV = "SCORM_PLAYER_TEST_DATABASE_URL"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: builds or installs something (runs by default)")


@pytest.fixture
def package_zip(tmp_path: Path):
    """Call with a fixture folder name; returns the path of a fresh zip of it."""

    def make(name: str, *, prefix: str = "") -> Path:
        return fixture_zip(name, tmp_path, prefix=prefix)

    return make


# region Environment and databases


@pytest.fixture(autouse=True)
def _test_clients_follow_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    """``app.test_client()`` sends each path to the origin that serves it (tests/origins.py)."""
    from tests.origins import OriginRoutingClient

    monkeypatch.setattr(Flask, "test_client_class", OriginRoutingClient)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's SCORM_PLAYER_* settings (or writes to their data dir)."""
    for name in list(os.environ):
        if name.startswith("SCORM_PLAYER_") and name != TEST_DATABASE_ENV:
            monkeypatch.delenv(name)


def _database_params() -> list[Any]:
    params = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get(TEST_DATABASE_ENV):
        params.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres))
    return params


@pytest.fixture(params=_database_params())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, and PostgreSQL when SCORM_PLAYER_TEST_DATABASE_URL is set.

    On PostgreSQL each test gets its own schema (first on the ``search_path``), dropped
    afterwards, so tests (and concurrent runs) never see each other's tables.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    base = os.environ[TEST_DATABASE_ENV]
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def settings_env(data_dir: Path, database_url: str) -> dict[str, str]:
    """The environment that points scorm-player at this test's folder and database."""
    return {"SCORM_PLAYER_DATA_DIR": str(data_dir), "SCORM_PLAYER_DATABASE_URL": database_url}


@pytest.fixture
def services(settings_env: dict[str, str]) -> Iterator[Any]:
    """The app's services on this test's database (schema at head), without Flask."""
    from scorm_player.config import Settings
    from scorm_player.services import open_services

    opened = open_services(Settings.from_env(settings_env))
    yield opened
    opened.close()


# endregion
# region Web app


@pytest.fixture
def app(settings_env: dict[str, str]) -> Iterator[Flask]:
    from scorm_player.web import create_app
    from scorm_player.web.common import EXTENSION

    application = create_app({"TESTING": True, "SECRET_KEY": "test secret", **settings_env})
    yield application
    application.extensions[EXTENSION].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def auth(client: FlaskClient, app: Flask) -> AuthActions:
    return AuthActions(client, app)


# endregion
# region CLI


@pytest.fixture
def runner(settings_env: dict[str, str]) -> CliRun:
    return CliRun(dict(settings_env))


# endregion
# region Browser

# Headless flags for this machine: no sandbox as root, and no background connections to
# Google's hosts (the network is closed, so they would only fail and slow the start).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium(playwright: Any) -> Iterator[Any]:
    """Debian's Chromium (``make browser``), driven by pytest-playwright's Playwright."""
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: `make test` installs it (make browser)")
        pytest.skip("chromium is not installed (make browser)")
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# endregion
