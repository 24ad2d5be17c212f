"""The player in a real browser: a live server with the player's fixture courses imported.

One server for the package (``live``): the app on a real socket, SQLite in a temporary
folder, one designer account. Every test gets its own browser context and its own learner,
so tests never share a registration. Launch links go to the content origin (127.0.0.1, see
``scorm_player.web.security``); designer pages are on the app origin (localhost).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from scorm_player.services import Services
from scorm_player.web import create_app
from scorm_player.web.common import EXTENSION
from tests.zipping import fixture_zip

pytestmark = pytest.mark.browser

DESIGNER, PASSWORD = "designer", "correct horse"
PREREQ_12 = "player-scorm12-prereq"
FLOW_2004 = "player-scorm2004-flow"


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@dataclass
class Live:
    """The live app, and the service calls tests make around it."""

    port: int
    app: Flask
    folder: Path
    _http: BaseWSGIServer
    _courses: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The content origin: the player, launch links and course files."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def app_url(self) -> str:
        """The app origin: sign-in and the course library."""
        return f"http://localhost:{self.port}"

    @property
    def services(self) -> Services:
        return self.app.extensions[EXTENSION]

    def course(self, package: str) -> str:
        """The id of a fixture package imported as a course (once per package)."""
        if package not in self._courses:
            path = fixture_zip(package, self.folder)
            self._courses[package] = self.services.courses.import_zip(path).course.id
        return self._courses[package]

    def link(self, course_id: str, learner: str, **query: str) -> str:
        token = self.services.launches.make_link_token(course_id, learner, "Liddell, Alice")
        return f"{self.url}/launch/{token}" + (f"?{urlencode(query)}" if query else "")

    def results(self, course_id: str, learner: str) -> dict[str, dict[str, Any]]:
        """The learner's results per item, as an LMS reads them."""
        found = self.services.tracking.results(course_id, learner).to_dict()
        return {sco["item"]: sco for sco in found["scos"]}


@pytest.fixture(scope="package")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    folder = tmp_path_factory.mktemp("player")
    app = create_app(
        {
            "SECRET_KEY": "player secret",
            "SCORM_PLAYER_DATA_DIR": str(folder / "data"),
            "SCORM_PLAYER_DATABASE_URL": f"sqlite:///{folder / 'player.sqlite3'}",
        }
    )
    app.extensions[EXTENSION].users.create(DESIGNER, PASSWORD)
    http = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield Live(http.server_port, app, folder, http)
    http.shutdown()
    app.extensions[EXTENSION].close()


@pytest.fixture
def prereq12(live: Live) -> str:
    """Welcome; Module 1 (Lesson, Handout: both need Welcome); Quiz (needs Lesson and
    Handout, mastery 80); Notes (hidden asset)."""
    return live.course(PREREQ_12)


@pytest.fixture
def flow2004(live: Live) -> str:
    """Introduction; Chapter 1 (Page 1, Page 2); Checkpoint (hideLMSUI previous,
    continue); Summary (an asset)."""
    return live.course(FLOW_2004)


@pytest.fixture
def learner(request: pytest.FixtureRequest) -> str:
    """A learner no other test uses."""
    return f"learner-{request.node.name[:40]}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def context(chromium: Any) -> Iterator[BrowserContext]:
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []
